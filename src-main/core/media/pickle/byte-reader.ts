import { PickleError } from './values.js';

const truncated = (): PickleError => new PickleError('malformed', 'the pickle is truncated');

/** Little-endian reads over a pickle's bytes; every read past the end is `malformed`, never a crash. */
export class ByteReader {
  pos = 0;
  private readonly view: DataView;
  private readonly utf8Decoder = new TextDecoder('utf-8', { fatal: true });
  private readonly latin1Decoder = new TextDecoder('latin1');

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private need(n: number): void {
    if (n < 0 || this.pos + n > this.buf.length) throw truncated();
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++] as number;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  /** A 64-bit length, refused when it exceeds the whole input (so it is always a safe number). */
  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.pos, true);
    this.pos += 8;
    if (v > BigInt(this.buf.length)) throw truncated();
    return Number(v);
  }

  /** BINFLOAT is the one big-endian field. */
  f64be(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, false);
    this.pos += 8;
    return v;
  }

  take(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Text up to the next newline (protocol 0 arguments: GLOBAL names, INT, FLOAT, PUT/GET). */
  line(): string {
    const end = this.buf.indexOf(0x0a, this.pos);
    if (end < 0) throw truncated();
    const s = this.latin1Decoder.decode(this.buf.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }

  latin1(n: number): string {
    return this.latin1Decoder.decode(this.take(n));
  }

  utf8(n: number): string {
    const bytes = this.take(n);
    try {
      return this.utf8Decoder.decode(bytes);
    } catch {
      throw new PickleError('malformed', 'a string is not valid UTF-8');
    }
  }
}

/**
 * Python's two's-complement little-endian long (LONG1/LONG4); a number when it is safe. The bytes
 * go through one hex string: shifting a BigInt byte by byte copies it each time, which made a
 * 300 KB LONG take minutes.
 */
export function decodeLong(bytes: Uint8Array): number | bigint {
  if (bytes.length === 0) return 0;
  if (bytes.length > MAX_LONG_BYTES) {
    throw new PickleError(
      'unsupported',
      `a ${bytes.length}-byte integer is not read (at most ${MAX_LONG_BYTES} bytes)`,
    );
  }
  let hex = '';
  for (let i = bytes.length - 1; i >= 0; i--) hex += HEX[bytes[i] as number] as string;
  let v = BigInt(`0x${hex}`);
  if ((bytes[bytes.length - 1] as number) & 0x80) v -= 1n << BigInt(bytes.length * 8);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v;
}

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** V8 refuses BigInts over 2^30 bits; anything near that is no table's data. */
const MAX_LONG_BYTES = 1 << 20;
