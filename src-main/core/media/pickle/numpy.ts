import {
  DTYPE_SIZE,
  dtypeFromCode,
  type NdArray,
  type NdData,
  type NdDtype,
  PickleError,
  type PickleValue,
  PickleTuple,
} from './values.js';

/**
 * The numpy side of the reader: the objects numpy's own `__reduce__`/`__reduce_ex__` ask the
 * unpickler to build, rebuilt here from bytes without running anything.
 */

/** A dtype between numpy.dtype(...) (REDUCE) and its BUILD (byte order). */
export class DtypeStub {
  byteOrder: '<' | '>' | '|' | '=' = '=';
  constructor(readonly dtype: NdDtype) {}
}

/** An array between numpy.core.multiarray._reconstruct (REDUCE) and its BUILD (shape, data). */
export class ArrayStub {
  built: NdArray | null = null;
}

const malformed = (m: string): PickleError => new PickleError('malformed', m);
const unsupported = (m: string): PickleError => new PickleError('unsupported', m);

export function tupleItems(v: PickleValue, what: string): readonly PickleValue[] {
  if (!(v instanceof PickleTuple)) throw malformed(`${what} must be a tuple`);
  return v.items;
}

/** numpy.dtype(code, align, copy). */
export function makeDtype(args: readonly PickleValue[]): DtypeStub {
  const code = args[0];
  if (typeof code !== 'string') throw malformed('numpy.dtype expects a type code');
  const dtype = dtypeFromCode(code);
  if (!dtype) {
    throw unsupported(
      `numpy dtype "${code}" is not read (float32, float64, int32, int64 and bool are)`,
    );
  }
  const stub = new DtypeStub(dtype);
  if (code.startsWith('>')) stub.byteOrder = '>';
  return stub;
}

/** dtype.__setstate__((version, byteorder, subarray, names, fields, elsize, alignment, flags)). */
export function buildDtype(stub: DtypeStub, state: PickleValue): void {
  const s = tupleItems(state, 'a dtype state');
  const order = s[1];
  if (order !== '<' && order !== '>' && order !== '|' && order !== '=') {
    throw malformed('a dtype state has no byte order');
  }
  if (s[2] !== null && s[2] !== undefined) throw unsupported('sub-array dtypes are not read');
  if (s[3] !== null && s[3] !== undefined) throw unsupported('structured dtypes are not read');
  stub.byteOrder = order;
}

function asDtype(v: PickleValue | DtypeStub | undefined): DtypeStub {
  if (v instanceof DtypeStub) return v;
  throw malformed('expected a numpy dtype');
}

function asShape(v: PickleValue | undefined): number[] {
  const items = v instanceof PickleTuple ? v.items : Array.isArray(v) ? v : null;
  if (!items) throw malformed('an array shape must be a tuple');
  return items.map((d) => {
    const n = typeof d === 'bigint' ? Number(d) : d;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31) {
      throw malformed('an array shape holds a non-integer dimension');
    }
    return n;
  });
}

/** Typed view of little- or big-endian bytes, copied (so alignment never matters). */
function typedFrom(bytes: Uint8Array, dtype: NdDtype, bigEndian: boolean): NdData {
  const size = DTYPE_SIZE[dtype];
  const copy = new Uint8Array(bytes);
  if (bigEndian && size > 1) {
    for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
  }
  const buf = copy.buffer;
  switch (dtype) {
    case 'float32':
      return new Float32Array(buf);
    case 'float64':
      return new Float64Array(buf);
    case 'int32':
      return new Int32Array(buf);
    case 'int64':
      return new BigInt64Array(buf);
    case 'bool':
      return copy;
  }
}

/** Fortran-ordered elements → C order (strides reversed). */
function fortranToC<T extends NdData>(data: T, shape: readonly number[]): T {
  if (shape.length < 2) return data;
  const n = data.length;
  const out = new (data.constructor as new (n: number) => T)(n);
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  // Fortran strides: first axis varies fastest.
  const fStride = new Array<number>(nd);
  let s = 1;
  for (let d = 0; d < nd; d++) {
    fStride[d] = s;
    s *= shape[d] as number;
  }
  for (let c = 0; c < n; c++) {
    let f = 0;
    for (let d = 0; d < nd; d++) f += (idx[d] as number) * (fStride[d] as number);
    (out as unknown as number[])[c] = (data as unknown as number[])[f] as number;
    for (let d = nd - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (shape[d] as number)) break;
      idx[d] = 0;
    }
  }
  return out;
}

function makeArray(shape: number[], dt: DtypeStub, fortran: boolean, bytes: Uint8Array): NdArray {
  const count = shape.reduce((a, b) => a * b, 1);
  const want = count * DTYPE_SIZE[dt.dtype];
  if (bytes.length !== want) {
    throw malformed(
      `array data holds ${bytes.length} bytes, its shape [${shape.join(', ')}] of ${dt.dtype} needs ${want}`,
    );
  }
  const data = typedFrom(bytes, dt.dtype, dt.byteOrder === '>');
  return {
    kind: 'ndarray',
    dtype: dt.dtype,
    shape,
    data: fortran ? fortranToC(data, shape) : data,
  };
}

/** ndarray.__setstate__((version, shape, dtype, is_fortran, rawdata)). */
export function buildArray(stub: ArrayStub, state: PickleValue, dtypeOf: DtypeStub | null): void {
  const s = tupleItems(state, 'an array state');
  // Version 1 has five fields; the version-less form has four.
  const [shape, dtype, fortran, raw] = s.length === 5 ? s.slice(1) : s;
  const dt = dtypeOf ?? asDtype(dtype as PickleValue);
  if (typeof fortran !== 'boolean') throw malformed('an array state has no order flag');
  if (!(raw instanceof Uint8Array)) {
    throw unsupported('arrays of Python objects are not read (numeric arrays are)');
  }
  stub.built = makeArray(asShape(shape as PickleValue), dt, fortran, raw);
}

/** numpy.core.numeric._frombuffer(buffer, dtype, shape, order): protocol 5's path. */
export function fromBuffer(args: readonly (PickleValue | DtypeStub)[]): NdArray {
  const [buf, dtype, shape, order] = args;
  if (!(buf instanceof Uint8Array)) throw malformed('_frombuffer expects a buffer');
  if (order !== 'C' && order !== 'F') throw malformed('_frombuffer expects order C or F');
  return makeArray(asShape(shape as PickleValue), asDtype(dtype), order === 'F', buf);
}

/** numpy.core.multiarray.scalar(dtype, bytes): a numpy scalar, as a plain value. */
export function makeScalar(args: readonly (PickleValue | DtypeStub)[]): PickleValue {
  const [dtype, raw] = args;
  if (!(raw instanceof Uint8Array)) throw malformed('a numpy scalar expects its bytes');
  const arr = makeArray([], asDtype(dtype), false, raw);
  const v = arr.data[0];
  if (arr.dtype === 'bool') return v !== 0;
  if (typeof v === 'bigint') {
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(v)
      : v;
  }
  return v as number;
}
