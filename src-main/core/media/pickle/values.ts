/** What the safe pickle reader can produce: plain data and numpy arrays, nothing callable. */

export type NdDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

export type NdData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** A numpy array, always in C (row-major) order here whatever order it was pickled in. */
export interface NdArray {
  readonly kind: 'ndarray';
  readonly dtype: NdDtype;
  readonly shape: readonly number[];
  readonly data: NdData;
}

/** A Python tuple (kept apart from lists so a caller can tell them apart if it cares). */
export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

export type PickleKey = string | number | bigint | boolean | null;

export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | PickleValue[]
  | PickleTuple
  | Map<PickleKey, PickleValue>
  | NdArray;

export type PickleErrorCode = 'refused' | 'malformed' | 'unsupported';

/**
 * Why a pickle was not read. `refused`: it asks for code we do not run (a global outside the
 * allowlist, or a call on something that is not an allowlisted numpy constructor); `malformed`:
 * truncated or inconsistent bytes; `unsupported`: valid but outside what we read.
 */
export class PickleError extends Error {
  constructor(
    readonly code: PickleErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PickleError';
  }
}

export function isNdArray(v: unknown): v is NdArray {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'ndarray';
}

export const DTYPE_SIZE: Readonly<Record<NdDtype, number>> = {
  float32: 4,
  float64: 8,
  int32: 4,
  int64: 8,
  bool: 1,
};

/** numpy's dtype codes (as `numpy.dtype(code)` and `dtype.str` spell them) → ours. */
export function dtypeFromCode(code: string): NdDtype | null {
  switch (code.replace(/^[<>=|]/, '')) {
    case 'f4':
    case 'float32':
      return 'float32';
    case 'f8':
    case 'float64':
      return 'float64';
    case 'i4':
    case 'int32':
      return 'int32';
    case 'i8':
    case 'int64':
      return 'int64';
    case 'b1':
    case 'bool':
    case '?':
      return 'bool';
    default:
      return null;
  }
}
