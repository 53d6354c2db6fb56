import FFT from 'fft.js';

/** HTK's mel scale (O'Shaughnessy): mel = 2595 · log10(1 + f / 700). */
export const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
export const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

/** Added to mel power before the log: the floor of silence (≈ −138 dB re full-scale power). */
export const LOG_EPSILON = 1e-6;

/**
 * Triangular mel filters over the power spectrum's `fftSize / 2 + 1` bins, HTK style: centres
 * evenly spaced on the HTK mel scale between fMin and fMax, peak 1, no area normalisation (as
 * torchaudio's MelSpectrogram with mel_scale='htk', norm=None). Row-major [nMels][bins].
 */
export function melFilterbank(
  sampleRate: number,
  fftSize: number,
  nMels: number,
  fMin = 0,
  fMax = sampleRate / 2,
): Float32Array[] {
  const bins = fftSize / 2 + 1;
  const binHz = Array.from({ length: bins }, (_, k) => (k * sampleRate) / fftSize);
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  const edges = Array.from({ length: nMels + 2 }, (_, i) =>
    melToHz(lo + ((hi - lo) * i) / (nMels + 1)),
  );
  const filters: Float32Array[] = [];
  for (let m = 0; m < nMels; m++) {
    const [left, centre, right] = [edges[m], edges[m + 1], edges[m + 2]] as [
      number,
      number,
      number,
    ];
    const row = new Float32Array(bins);
    for (let k = 0; k < bins; k++) {
      const f = binHz[k] as number;
      const up = (f - left) / (centre - left);
      const down = (right - f) / (right - centre);
      row[k] = Math.max(0, Math.min(up, down));
    }
    filters.push(row);
  }
  return filters;
}

/** Mel bands that no FFT bin falls into (too many mels for the window): a config error. */
export function emptyMelBands(sampleRate: number, fftSize: number, nMels: number): number {
  return melFilterbank(sampleRate, fftSize, nMels).filter((row) => row.every((v) => v === 0))
    .length;
}

export interface LogMelGeometry {
  readonly sampleRate: number;
  readonly windowSamples: number;
  readonly hopSamples: number;
  readonly fftSize: number;
  readonly nMels: number;
}

/**
 * Log-mel spectrogram: periodic Hann window of `windowSamples`, zero-padded to `fftSize`, hop
 * `hopSamples`, no centring (frames lie wholly inside the clip), power spectrum |X|², HTK mel
 * filters, natural log of (power + LOG_EPSILON). Output is time-major [frames][nMels].
 */
export class LogMel {
  private readonly fft: FFT;
  private readonly window: Float32Array;
  private readonly filters: Float32Array[];
  /** Per band, the mel power white noise of unit variance adds (for noise augmentation). */
  readonly noisePowerPerBand: Float32Array;

  constructor(readonly g: LogMelGeometry) {
    this.fft = new FFT(g.fftSize);
    this.window = new Float32Array(g.windowSamples);
    for (let n = 0; n < g.windowSamples; n++) {
      this.window[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / g.windowSamples);
    }
    this.filters = melFilterbank(g.sampleRate, g.fftSize, g.nMels);
    // E|X_k|² = σ² Σ w[n]² for white noise, the same in every bin.
    const w2 = this.window.reduce((s, w) => s + w * w, 0);
    this.noisePowerPerBand = new Float32Array(
      this.filters.map((row) => w2 * row.reduce((s, v) => s + v, 0)),
    );
  }

  frames(samples: number): number {
    const { windowSamples, hopSamples } = this.g;
    return samples < windowSamples ? 0 : 1 + Math.floor((samples - windowSamples) / hopSamples);
  }

  compute(signal: Float32Array): Float32Array {
    const { fftSize, hopSamples, windowSamples, nMels } = this.g;
    const frames = this.frames(signal.length);
    const out = new Float32Array(frames * nMels);
    const frame = new Array<number>(fftSize).fill(0);
    const spectrum = this.fft.createComplexArray() as number[];
    const bins = fftSize / 2 + 1;
    const power = new Float64Array(bins);
    for (let t = 0; t < frames; t++) {
      const start = t * hopSamples;
      for (let n = 0; n < windowSamples; n++) {
        frame[n] = (signal[start + n] as number) * (this.window[n] as number);
      }
      this.fft.realTransform(spectrum, frame);
      for (let k = 0; k < bins; k++) {
        const re = spectrum[2 * k] as number;
        const im = spectrum[2 * k + 1] as number;
        power[k] = re * re + im * im;
      }
      for (let m = 0; m < nMels; m++) {
        const row = this.filters[m] as Float32Array;
        let s = 0;
        for (let k = 0; k < bins; k++) {
          const v = row[k] as number;
          if (v !== 0) s += v * (power[k] as number);
        }
        out[t * nMels + m] = Math.log(s + LOG_EPSILON);
      }
    }
    return out;
  }
}
