/**
 * Gathers the AudioWorklet's 128-frame blocks into chunks of a fixed size for `audio_data`, so
 * the stream sends a steady few dozen messages a second instead of hundreds.
 */
export class SampleChunker {
  private buffer: Float32Array;
  private filled = 0;

  constructor(
    readonly chunkSize: number,
    private readonly onChunk: (chunk: Float32Array) => void,
  ) {
    if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
      throw new Error(`chunk size must be a positive integer, not ${chunkSize}`);
    }
    this.buffer = new Float32Array(chunkSize);
  }

  /** Appends samples; every full chunk is handed on (a copy the caller may keep). */
  push(block: ArrayLike<number>): void {
    let offset = 0;
    while (offset < block.length) {
      const take = Math.min(this.chunkSize - this.filled, block.length - offset);
      for (let i = 0; i < take; i++) this.buffer[this.filled + i] = block[offset + i]!;
      this.filled += take;
      offset += take;
      if (this.filled === this.chunkSize) {
        const full = this.buffer;
        this.buffer = new Float32Array(this.chunkSize);
        this.filled = 0;
        this.onChunk(full);
      }
    }
  }

  /** Hands on what is left (a short last chunk) and empties the buffer. */
  flush(): void {
    if (this.filled === 0) return;
    const rest = this.buffer.slice(0, this.filled);
    this.filled = 0;
    this.onChunk(rest);
  }

  get pending(): number {
    return this.filled;
  }
}

/** A chunk size for about `ms` milliseconds at `sampleRate` (at least one 128-frame block). */
export const chunkSizeFor = (sampleRate: number, ms: number): number =>
  Math.max(128, Math.round((sampleRate * ms) / 1000));

/**
 * `audio_data`'s payload: the reference's `{audio: float32[], sampleRate}`. JSON has no NaN, so
 * non-finite samples (a broken device) go as 0 rather than as `null`s the server would refuse.
 */
export function audioDataMessage(
  chunk: Float32Array,
  sampleRate: number,
): { audio: number[]; sampleRate: number } {
  const audio = new Array<number>(chunk.length);
  for (let i = 0; i < chunk.length; i++) {
    const v = chunk[i]!;
    audio[i] = Number.isFinite(v) ? Math.round(v * 1e5) / 1e5 : 0;
  }
  return { audio, sampleRate };
}
