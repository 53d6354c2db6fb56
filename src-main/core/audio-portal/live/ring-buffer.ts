/**
 * The last `capacity` samples of an endless stream, addressed by absolute sample index (samples
 * since the stream began), so an event's onset found earlier can still be read back.
 */
export class RingBuffer {
  private readonly data: Float32Array;
  /** Absolute index one past the newest sample. */
  private end = 0;

  constructor(readonly capacity: number) {
    this.data = new Float32Array(capacity);
  }

  get written(): number {
    return this.end;
  }

  /** The oldest absolute index still held. */
  get oldest(): number {
    return Math.max(0, this.end - this.capacity);
  }

  write(x: Float32Array): void {
    // Only the newest `capacity` samples of a long chunk can survive.
    const src = x.length > this.capacity ? x.subarray(x.length - this.capacity) : x;
    this.end += x.length - src.length;
    for (let i = 0; i < src.length;) {
      const at = this.end % this.capacity;
      const n = Math.min(src.length - i, this.capacity - at);
      this.data.set(src.subarray(i, i + n), at);
      i += n;
      this.end += n;
    }
  }

  /** Samples [from, to), clamped to what is still held. */
  read(from: number, to: number): Float32Array {
    const lo = Math.max(from, this.oldest);
    const hi = Math.min(to, this.end);
    const out = new Float32Array(Math.max(0, hi - lo));
    for (let i = 0; i < out.length;) {
      const at = (lo + i) % this.capacity;
      const n = Math.min(out.length - i, this.capacity - at);
      out.set(this.data.subarray(at, at + n), i);
      i += n;
    }
    return out;
  }
}
