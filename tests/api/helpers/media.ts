import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import {
  bombPngHeader,
  imageBuffer,
  solidImage,
  wavBuffer,
} from '../../fixtures/media-fixtures.js';

export { bombPngHeader, imageBuffer, solidImage, wavBuffer };

/** Writes `files` (relative path → bytes) under `dir`, creating folders. Returns `dir`. */
export async function writeTree(
  dir: string,
  files: Readonly<Record<string, Uint8Array | string>>,
): Promise<string> {
  for (const [rel, data] of Object.entries(files)) {
    const target = path.join(dir, ...rel.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, data);
  }
  return dir;
}

/**
 * Distinct PNGs in class folders: `{cat: 3, dog: 2}` → `cat/cat-0.png` … (every image has
 * its own colour, so none is a duplicate of another).
 */
export async function classImages(
  counts: Readonly<Record<string, number>>,
  seedBase = 1,
): Promise<Record<string, Buffer>> {
  const out: Record<string, Buffer> = {};
  let seed = seedBase;
  for (const [cls, n] of Object.entries(counts)) {
    for (let i = 0; i < n; i++) out[`${cls}/${cls}-${i}.png`] = await solidImage('png', seed++);
  }
  return out;
}

/** A ZIP of the given entries; names are written as given, `../` and `/abs` included. */
export function zipOf(
  entries: Readonly<Record<string, Uint8Array | string>>,
  level: 0 | 9 = 0,
): Buffer {
  const z: Zippable = {};
  for (const [name, data] of Object.entries(entries)) {
    z[name] = [typeof data === 'string' ? new TextEncoder().encode(data) : data, { level }];
  }
  return Buffer.from(zipSync(z));
}

/** A JPEG cut in the middle: the header is fine, the scan data ends early. */
export async function truncatedJpeg(): Promise<Buffer> {
  const jpeg = await imageBuffer('jpeg', 128, 96);
  return jpeg.subarray(0, Math.floor(jpeg.length * 0.5));
}

/** Plain prose under a .wav name (no delimiters, so it is not a CSV table either). */
export const TEXT_NAMED_WAV = 'this is not audio but plain text under a wav name\n'.repeat(20);
