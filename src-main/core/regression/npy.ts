import { unzipSync } from 'fflate';
import { DTYPE_SIZE, dtypeFromCode, type NdArray } from '../media/pickle/values.js';

/**
 * NumPy's .npy format (v1–v3): magic, a Python-literal header dict, raw data. Read here without
 * evaluating the header: only `descr`, `fortran_order` and `shape` are picked out, and object
 * arrays (whose data is a pickle) are refused.
 */

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] as const; // \x93NUMPY

export function isNpy(b: Uint8Array): boolean {
  return NPY_MAGIC.every((v, i) => b[i] === v);
}

export function isZip(b: Uint8Array): boolean {
  return b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;
}

export function readNpy(b: Uint8Array): NdArray {
  if (!isNpy(b) || b.length < 10) throw new Error('not a .npy file');
  const major = b[6] as number;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > b.length) throw new Error('the .npy header is truncated');
  const header = new TextDecoder('latin1').decode(b.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw new Error('the .npy header lacks descr, fortran_order or shape');
  }
  const dtype = dtypeFromCode(descr);
  if (!dtype) throw new Error(`.npy dtype "${descr}" is not read (float32/64, int32/64, bool are)`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const n = Number(s.replace(/L$/, ''));
      if (!Number.isInteger(n) || n < 0) throw new Error('the .npy shape is not integers');
      return n;
    });
  const count = shape.reduce((a, c) => a * c, 1);
  const data = b.subarray(start + headerLen);
  const size = DTYPE_SIZE[dtype];
  if (data.length !== count * size) {
    throw new Error(`.npy data holds ${data.length} bytes, its shape needs ${count * size}`);
  }
  const copy = new Uint8Array(data);
  if (descr.startsWith('>') && size > 1) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  const typed =
    dtype === 'float32'
      ? new Float32Array(copy.buffer)
      : dtype === 'float64'
        ? new Float64Array(copy.buffer)
        : dtype === 'int32'
          ? new Int32Array(copy.buffer)
          : dtype === 'int64'
            ? new BigInt64Array(copy.buffer)
            : copy;
  const arr: NdArray = { kind: 'ndarray', dtype, shape, data: typed };
  return fortran === 'True' ? toC(arr) : arr;
}

/** Fortran order → C order, for the 1-D and 2-D arrays a table uses. */
function toC(a: NdArray): NdArray {
  if (a.shape.length !== 2) {
    if (a.shape.length < 2) return a;
    throw new Error('Fortran-ordered .npy arrays of more than two dimensions are not read');
  }
  const [rows, cols] = a.shape as [number, number];
  const src = a.data as unknown as ArrayLike<number>;
  const out = new (a.data.constructor as new (n: number) => typeof a.data)(rows * cols);
  const dst = out as unknown as number[];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) dst[r * cols + c] = src[c * rows + r] as number;
  return { ...a, data: out };
}

/**
 * The arrays of an .npz (a ZIP of .npy files) by name without `.npy`. The declared sizes are
 * checked before anything is inflated, so a ZIP bomb is refused unread.
 */
export function readNpz(b: Uint8Array, maxBytes: number): Map<string, NdArray> {
  let total = 0;
  const files = unzipSync(b, {
    filter: (f) => {
      total += f.originalSize;
      if (total > maxBytes) throw new Error(`the .npz unpacks to more than ${maxBytes} bytes`);
      return f.name.endsWith('.npy');
    },
  });
  const out = new Map<string, NdArray>();
  for (const [name, bytes] of Object.entries(files)) {
    out.set(name.slice(0, -'.npy'.length), readNpy(bytes));
  }
  return out;
}
