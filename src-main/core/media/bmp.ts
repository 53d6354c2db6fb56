import { FileError } from './file-error.js';

/**
 * A minimal BMP reader. sharp's prebuilt libvips has no BMP loader (its `magick` loader is
 * compiled out: `sharp.format.magick.input.file === false`), and pulling in ImageMagick or a
 * larger JS codec for one legacy format is not worth it. We read what cameras, scanners and
 * Windows tools actually write for datasets — uncompressed 24-bit, and 32-bit (BI_RGB or
 * BI_BITFIELDS) — and refuse the rest (paletted, RLE, 16-bit) with a clear message.
 */
export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly data: Buffer;
}

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;

export function decodeBmp(buf: Buffer, maxPixels: number): RawImage {
  if (buf.length < 26 || buf.toString('latin1', 0, 2) !== 'BM') throw corrupt('not a BMP file');
  const dataOffset = buf.readUInt32LE(10);
  const dibSize = buf.readUInt32LE(14);
  if (dibSize < 40) throw unsupported('OS/2 BMP headers are not supported');
  if (buf.length < 14 + dibSize) throw corrupt('BMP header is truncated');
  const width = buf.readInt32LE(18);
  const rawHeight = buf.readInt32LE(22);
  const bpp = buf.readUInt16LE(28);
  const compression = buf.readUInt32LE(30);
  // A negative height means rows are stored top-down; the usual positive height is bottom-up.
  const topDown = rawHeight < 0;
  const height = Math.abs(rawHeight);
  if (width <= 0 || height <= 0) throw corrupt(`BMP has invalid dimensions ${width}×${rawHeight}`);
  if (width * height > maxPixels) {
    throw new FileError(
      'image_too_large',
      `image is ${width}×${height} pixels, over the limit of ${maxPixels}`,
    );
  }

  let masks: readonly [number, number, number, number];
  if (bpp === 24 && compression === BI_RGB) {
    masks = [0xff0000, 0xff00, 0xff, 0];
  } else if (bpp === 32 && compression === BI_RGB) {
    // The fourth byte is "reserved" in BI_RGB and many writers leave it 0: treat as opaque.
    masks = [0xff0000, 0xff00, 0xff, 0];
  } else if (bpp === 32 && (compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS)) {
    // Masks follow a 40-byte header, or sit inside a V4/V5 header at the same offset.
    if (buf.length < 14 + 40 + 12) throw corrupt('BMP bit masks are truncated');
    const alphaAvailable = dibSize >= 56 || compression === BI_ALPHABITFIELDS;
    masks = [
      buf.readUInt32LE(54),
      buf.readUInt32LE(58),
      buf.readUInt32LE(62),
      alphaAvailable && buf.length >= 70 ? buf.readUInt32LE(66) : 0,
    ];
  } else {
    throw unsupported(
      `BMP with ${bpp} bits per pixel and compression ${compression} is not supported (24/32-bit uncompressed only)`,
    );
  }

  const stride = Math.ceil((bpp * width) / 32) * 4;
  if (dataOffset + stride * height > buf.length) throw corrupt('BMP pixel data is truncated');

  const channels: 3 | 4 = masks[3] !== 0 ? 4 : 3;
  const out = Buffer.alloc(width * height * channels);
  const fields = masks.map(maskField);
  const bytesPerPixel = bpp / 8;
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const p = row + x * bytesPerPixel;
      const o = (y * width + x) * channels;
      if (bpp === 24) {
        out[o] = buf[p + 2] as number;
        out[o + 1] = buf[p + 1] as number;
        out[o + 2] = buf[p] as number;
      } else {
        const px = buf.readUInt32LE(p);
        for (let c = 0; c < channels; c++) out[o + c] = extract(px, fields[c] as MaskField);
      }
    }
  }
  return { width, height, channels, data: out };
}

interface MaskField {
  readonly mask: number;
  readonly shift: number;
  readonly max: number;
}

function maskField(mask: number): MaskField {
  if (mask === 0) return { mask: 0, shift: 0, max: 1 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  let bits = 0;
  while (((mask >>> (shift + bits)) & 1) === 1 && shift + bits < 32) bits++;
  return { mask: mask >>> 0, shift, max: 2 ** bits - 1 };
}

function extract(px: number, f: MaskField): number {
  if (f.mask === 0) return 255;
  const v = ((px & f.mask) >>> 0) >>> f.shift;
  return f.max === 255 ? v : Math.round((v * 255) / f.max);
}

const corrupt = (message: string): FileError => new FileError('corrupt_image', message);
const unsupported = (message: string): FileError => new FileError('unsupported_type', message);
