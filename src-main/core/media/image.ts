import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decodeBmp } from './bmp.js';
import { FileError, reason } from './file-error.js';
import type { ImageFormat } from './sniff.js';

export const THUMB_SIZE = 256;

export interface ImageProbe {
  /** Display size, after EXIF orientation. */
  readonly width: number;
  readonly height: number;
  /** 256-px WebP, fitted inside a square, EXIF-rotated. */
  readonly thumbnail: Buffer;
}

/**
 * Checks an image fully and renders its thumbnail.
 * 1. Header only (sharp metadata): width × height over `maxPixels` is refused before any pixel is decoded.
 * 2. Full decode into the thumbnail with `failOn: 'truncated'`: libjpeg/libspng read every scanline even
 *    when shrinking on load, so a cut-off file fails here (`corrupt_image`) instead of yielding a grey tail.
 *    sharp's own `limitInputPixels` is set to the same cap as a second guard.
 */
export async function probeImage(
  filePath: string,
  format: ImageFormat,
  maxPixels: number,
): Promise<ImageProbe> {
  if (format === 'bmp') return probeBmp(filePath, maxPixels);

  let meta: sharp.Metadata;
  try {
    // Header only. sharp's default pixel limit would throw here, before we can say how large it is.
    meta = await sharp(filePath, { limitInputPixels: false }).metadata();
  } catch (err) {
    throw new FileError('corrupt_image', `unreadable ${format} header: ${reason(err)}`);
  }
  const { width, height } = meta;
  if (!width || !height) throw new FileError('corrupt_image', `${format} header has no dimensions`);
  checkPixels(width, height, maxPixels);

  const thumbnail = await thumbnailOf(
    sharp(filePath, { limitInputPixels: maxPixels, failOn: 'truncated' }),
  );
  const oriented = meta.autoOrient ?? { width, height };
  return { width: oriented.width, height: oriented.height, thumbnail };
}

async function probeBmp(filePath: string, maxPixels: number): Promise<ImageProbe> {
  const raw = decodeBmp(await readFile(filePath), maxPixels);
  const input = sharp(raw.data, {
    raw: { width: raw.width, height: raw.height, channels: raw.channels },
    limitInputPixels: maxPixels,
  });
  return { width: raw.width, height: raw.height, thumbnail: await thumbnailOf(input) };
}

function checkPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new FileError(
      'image_too_large',
      `image is ${width}×${height} pixels, over the limit of ${maxPixels}`,
    );
  }
}

async function thumbnailOf(input: sharp.Sharp): Promise<Buffer> {
  try {
    return await input
      .rotate() // EXIF auto-orientation
      .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch (err) {
    const msg = reason(err);
    if (/pixel limit/i.test(msg)) throw new FileError('image_too_large', msg);
    throw new FileError('corrupt_image', `image cannot be decoded: ${msg}`);
  }
}
