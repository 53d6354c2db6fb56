import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { decodeBmp } from '../../media/bmp.js';
import { sniffFile } from '../../media/sniff.js';
import type { ImageInput } from '../config.js';

/** Same cap as sharp's default; imports already refused larger images. */
const MAX_PIXELS = 268_402_689;

/** [height, width, channels] of an image input config. */
export function imageFeatureShape(input: ImageInput): [number, number, number] {
  return [input.height, input.width, input.channels];
}

/**
 * One image's features: HWC float32 in [0, 1].
 * - EXIF orientation applied; alpha dropped (as PIL's convert('RGB')), so transparent areas keep
 *   their stored colour.
 * - Resized with fit 'fill': the whole picture, stretched to the input size, nothing cropped —
 *   Keras' image_dataset_from_directory default. Cropping ('cover') could cut off the very
 *   feature (a defect near an edge) the label is about; the random-crop augmentation covers
 *   scale variation instead.
 * - channels 1: luminance (sharp's 'b-w'); 3: sRGB.
 */
export async function extractImageFeatures(
  filePath: string,
  input: ImageInput,
): Promise<Float32Array> {
  const sniffed = await sniffFile(filePath);
  if (sniffed.kind !== 'image') throw new Error('not an image file');
  let img: sharp.Sharp;
  if (sniffed.format === 'bmp') {
    // sharp has no BMP loader here; the import's own reader decodes it (core/media/bmp.ts).
    const raw = decodeBmp(await readFile(filePath), MAX_PIXELS);
    img = sharp(raw.data, {
      raw: { width: raw.width, height: raw.height, channels: raw.channels },
    });
  } else {
    img = sharp(filePath).rotate();
  }
  const { data, info } = await img
    .removeAlpha()
    .toColourspace(input.channels === 1 ? 'b-w' : 'srgb')
    .resize(input.width, input.height, { fit: 'fill' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (
    info.channels !== input.channels ||
    info.width !== input.width ||
    info.height !== input.height
  ) {
    throw new Error(
      `decoded to ${info.width}×${info.height}×${info.channels}, expected ${input.width}×${input.height}×${input.channels}`,
    );
  }
  const out = new Float32Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = (data[i] as number) / 255;
  return out;
}
