import type { ExperimentConfig } from '../../../../src-shared/contract/training.js';
import { LOG_EPSILON } from '../features/mel.js';
import type { Prng } from './prng.js';

/** Changes one sample in place, drawing its randomness from `prng`. */
export type Augment = (sample: Float32Array, prng: Prng) => void;

type Aug = ExperimentConfig['augmentation'];

/**
 * Image augmentation on a cached HWC sample in [0, 1]: flips, a small rotation and a random crop
 * (zoom into a window of 1 − crop_fraction … 1 of each side at a random place), composed into one
 * inverse affine map sampled bilinearly with edge clamping, then a brightness shift. Null when
 * the config enables none of them.
 */
export function imageAugment(aug: Aug, shape: readonly [number, number, number]): Augment | null {
  const { flip_horizontal, flip_vertical, rotation_degrees, crop_fraction, brightness } = aug;
  if (!flip_horizontal && !flip_vertical && !rotation_degrees && !crop_fraction && !brightness) {
    return null;
  }
  const [h, w, c] = shape;
  const src = new Float32Array(h * w * c);
  return (sample, prng) => {
    // Every draw happens whatever the outcome, so the stream's position depends on the config only.
    const fx = flip_horizontal && prng.bool() ? -1 : 1;
    const fy = flip_vertical && prng.bool() ? -1 : 1;
    const angle = (prng.uniform(-rotation_degrees, rotation_degrees) * Math.PI) / 180;
    const scale = 1 - prng.uniform(0, crop_fraction);
    // The crop window's centre may move as far as keeps it inside the picture.
    const dx = prng.uniform(-1, 1) * (1 - scale) * (w / 2);
    const dy = prng.uniform(-1, 1) * (1 - scale) * (h / 2);
    const shift = prng.uniform(-brightness, brightness);
    const geometric = fx !== 1 || fy !== 1 || angle !== 0 || scale !== 1;
    if (geometric) {
      src.set(sample);
      const cos = Math.cos(angle) * scale;
      const sin = Math.sin(angle) * scale;
      const cx = (w - 1) / 2;
      const cy = (h - 1) / 2;
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const u = (x - cx) * fx;
          const v = (y - cy) * fy;
          const sx = Math.min(w - 1, Math.max(0, cos * u - sin * v + cx + dx));
          const sy = Math.min(h - 1, Math.max(0, sin * u + cos * v + cy + dy));
          const x0 = Math.floor(sx);
          const y0 = Math.floor(sy);
          const x1 = Math.min(w - 1, x0 + 1);
          const y1 = Math.min(h - 1, y0 + 1);
          const ax = sx - x0;
          const ay = sy - y0;
          for (let k = 0; k < c; k++) {
            const p00 = src[(y0 * w + x0) * c + k] as number;
            const p01 = src[(y0 * w + x1) * c + k] as number;
            const p10 = src[(y1 * w + x0) * c + k] as number;
            const p11 = src[(y1 * w + x1) * c + k] as number;
            sample[(y * w + x) * c + k] =
              (p00 * (1 - ax) + p01 * ax) * (1 - ay) + (p10 * (1 - ax) + p11 * ax) * ay;
          }
        }
      }
    }
    if (shift !== 0) {
      for (let i = 0; i < sample.length; i++) {
        sample[i] = Math.min(1, Math.max(0, (sample[i] as number) + shift));
      }
    }
  };
}

const LOG_FLOOR = Math.log(LOG_EPSILON);

/**
 * Audio augmentation on a cached log-mel sample [frames × mels] (natural log of mel power):
 * - time shift: frames move by up to ±time_shift_fraction of the clip, the gap is silence;
 * - gain: ±gain_db, which in the log domain is adding gain·ln(10)/10;
 * - noise: white noise of standard deviation up to noise_level (full scale = 1) added in the
 *   power domain: its expected mel power per band (`noisePowerPerBand`, from the window and
 *   filters) with a random factor per cell standing in for the spread of noise periodograms.
 * Working on the cached spectrogram keeps epochs free of FFTs; the noise is an approximation of
 * adding it to the waveform (exact in expectation, not per bin).
 */
export function audioAugment(
  aug: Aug,
  frames: number,
  mels: number,
  noisePowerPerBand: Float32Array,
): Augment | null {
  const { time_shift_fraction, gain_db, noise_level } = aug;
  if (!time_shift_fraction && !gain_db && !noise_level) return null;
  const copy = new Float32Array(frames * mels);
  const maxShift = Math.floor(time_shift_fraction * frames);
  return (sample, prng) => {
    const shift = maxShift > 0 ? prng.int(2 * maxShift + 1) - maxShift : 0;
    const gain = (prng.uniform(-gain_db, gain_db) * Math.LN10) / 10;
    const sigma = noise_level * prng.next();
    if (shift !== 0) {
      copy.set(sample);
      for (let t = 0; t < frames; t++) {
        const from = t - shift;
        for (let m = 0; m < mels; m++) {
          sample[t * mels + m] =
            from >= 0 && from < frames ? (copy[from * mels + m] as number) : LOG_FLOOR;
        }
      }
    }
    const variance = sigma * sigma;
    for (let t = 0; t < frames; t++) {
      for (let m = 0; m < mels; m++) {
        const i = t * mels + m;
        let v = (sample[i] as number) + gain;
        if (variance > 0) {
          const noise =
            variance * (noisePowerPerBand[m] as number) * Math.max(0, 1 + 0.5 * prng.normal());
          v = Math.log(Math.exp(v) + noise);
        }
        sample[i] = v;
      }
    }
  };
}
