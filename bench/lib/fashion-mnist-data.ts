/** Fashion-MNIST from its IDX files (Debian package dataset-fashion-mnist), as float NHWC in [0, 1]. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

export interface Split {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly n: number;
}

function readIdx(file: string): { dims: number[]; data: Uint8Array } {
  const buf = gunzipSync(readFileSync(file));
  const ndim = buf[3] as number;
  const dims = Array.from({ length: ndim }, (_, i) => buf.readUInt32BE(4 + 4 * i));
  return { dims, data: buf.subarray(4 + 4 * ndim) };
}

function load(dir: string, prefix: string, limit: number): Split {
  const images = readIdx(path.join(dir, `${prefix}-images-idx3-ubyte.gz`));
  const labels = readIdx(path.join(dir, `${prefix}-labels-idx1-ubyte.gz`));
  const n = Math.min(limit, images.dims[0] as number);
  const size = (images.dims[1] as number) * (images.dims[2] as number);
  const x = new Float32Array(n * size);
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) / 255;
  const y = Float32Array.from(labels.data.subarray(0, n));
  return { x, y, n };
}

/** The first `train` training and `test` test images (the same ones the PyTorch peer reads). */
export function loadFashionMnist(dir: string, train: number, test: number) {
  return { train: load(dir, 'train', train), test: load(dir, 't10k', test) };
}
