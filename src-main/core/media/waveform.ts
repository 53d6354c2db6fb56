import sharp from 'sharp';

export const WAVEFORM_BUCKETS = 200;
export const WAVEFORM_WIDTH = 256;
export const WAVEFORM_HEIGHT = 96;

/** Fixed number of fine blocks kept in memory; when full, neighbours merge and blocks double in size. */
const BLOCK_CAPACITY = 8192;

export type Peak = readonly [number, number];

/**
 * Streaming min/max envelope over all channels, in bounded memory whatever the clip length:
 * the total length is unknown until decoding ends, so samples go into fine blocks that coarsen
 * by pairwise merging, and are folded into the final buckets at the end.
 */
export class PeakAccumulator {
  private readonly mins = new Float32Array(BLOCK_CAPACITY);
  private readonly maxs = new Float32Array(BLOCK_CAPACITY);
  private blocks = 0;
  private blockSize = 1;
  private fill = 0;
  private curMin = Infinity;
  private curMax = -Infinity;

  push(channels: readonly Float32Array[], frames: number): void {
    for (let i = 0; i < frames; i++) {
      for (const ch of channels) {
        const v = ch[i] as number;
        if (v < this.curMin) this.curMin = v;
        if (v > this.curMax) this.curMax = v;
      }
      if (++this.fill === this.blockSize) this.commit();
    }
  }

  /** Up to `buckets` [min, max] pairs in −1…1, rounded to 4 decimals. */
  finish(buckets = WAVEFORM_BUCKETS): Peak[] {
    if (this.fill > 0) this.commit();
    const n = Math.min(buckets, this.blocks);
    const out: Peak[] = [];
    for (let b = 0; b < n; b++) {
      const from = Math.floor((b * this.blocks) / n);
      const to = Math.floor(((b + 1) * this.blocks) / n);
      let lo = Infinity;
      let hi = -Infinity;
      for (let k = from; k < to; k++) {
        lo = Math.min(lo, this.mins[k] as number);
        hi = Math.max(hi, this.maxs[k] as number);
      }
      out.push([round(lo), round(hi)]);
    }
    return out;
  }

  private commit(): void {
    // NaN from a broken decoder would poison the envelope: treat it as silence.
    this.mins[this.blocks] = Number.isFinite(this.curMin) ? this.curMin : 0;
    this.maxs[this.blocks] = Number.isFinite(this.curMax) ? this.curMax : 0;
    this.blocks++;
    this.fill = 0;
    this.curMin = Infinity;
    this.curMax = -Infinity;
    if (this.blocks === BLOCK_CAPACITY) {
      const half = BLOCK_CAPACITY / 2;
      for (let j = 0; j < half; j++) {
        this.mins[j] = Math.min(this.mins[2 * j] as number, this.mins[2 * j + 1] as number);
        this.maxs[j] = Math.max(this.maxs[2 * j] as number, this.maxs[2 * j + 1] as number);
      }
      this.blocks = half;
      this.blockSize *= 2;
    }
  }
}

function round(v: number): number {
  const c = Math.max(-1, Math.min(1, v));
  return Math.round(c * 10_000) / 10_000;
}

/** The waveform as an SVG drawing: one bar per bucket from min to max, centred on silence. */
export function waveformSvg(
  peaks: readonly Peak[],
  width = WAVEFORM_WIDTH,
  height = WAVEFORM_HEIGHT,
): string {
  const mid = height / 2;
  const step = width / Math.max(1, peaks.length);
  const bar = Math.max(1, step * 0.8);
  let d = '';
  peaks.forEach(([lo, hi], i) => {
    const top = mid - hi * mid;
    const h = Math.max(1, (hi - lo) * mid);
    d += `M${(i * step).toFixed(2)} ${top.toFixed(2)}h${bar.toFixed(2)}v${h.toFixed(2)}h${(-bar).toFixed(2)}Z`;
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<line x1="0" y1="${mid}" x2="${width}" y2="${mid}" stroke="#8a94a6" stroke-width="1" opacity="0.5"/>` +
    `<path d="${d}" fill="#3f7cc4"/></svg>`
  );
}

/** 256×96 WebP of the waveform (transparent background, so it reads on light and dark themes). */
export async function renderWaveformThumbnail(peaks: readonly Peak[]): Promise<Buffer> {
  return sharp(Buffer.from(waveformSvg(peaks)))
    .webp({ quality: 85 })
    .toBuffer();
}
