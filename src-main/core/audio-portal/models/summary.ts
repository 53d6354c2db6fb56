import MeydaModule, { type MeydaFeaturesObject } from 'meyda';
import { MODEL_RATE } from './features.js';

interface MeydaApi {
  bufferSize: number;
  sampleRate: number;
  numberOfMFCCCoefficients: number;
  extract(features: string[], signal: Float32Array): Partial<MeydaFeaturesObject> | null;
}
/** meyda's CommonJS build is its module object; its ESM typings call that the default export. */
const Meyda = MeydaModule as unknown as MeydaApi;

const FRAME = 512;
const HOP = 256;
const N_MFCC = 13;

/** MFCC means and deviations, centroid, roll-off, flatness, ZCR and RMS (mean and deviation), duration. */
export const SUMMARY_FEATURES = 2 * N_MFCC + 4 + 2 + 1;

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / (xs.length || 1);
const std = (xs: readonly number[]): number => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};
/** meyda answers NaN for silent frames' flatness and centroid: those count as zero. */
const finite = (x: number | undefined): number => (x !== undefined && Number.isFinite(x) ? x : 0);

/**
 * The classical family's features of one segment at MODEL_RATE, computed with meyda over
 * 512-sample frames (a segment shorter than one frame is zero-padded to it).
 */
export function summaryFeatures(segment: Float32Array): number[] {
  Meyda.bufferSize = FRAME;
  Meyda.sampleRate = MODEL_RATE;
  Meyda.numberOfMFCCCoefficients = N_MFCC;
  const mfcc: number[][] = Array.from({ length: N_MFCC }, () => []);
  const cols: number[][] = [[], [], [], [], []];
  const padded =
    segment.length >= FRAME
      ? segment
      : Float32Array.from({ length: FRAME }, (_, i) => segment[i] ?? 0);
  for (let at = 0; at + FRAME <= padded.length; at += HOP) {
    const f = Meyda.extract(
      ['mfcc', 'spectralCentroid', 'spectralRolloff', 'spectralFlatness', 'zcr', 'rms'],
      padded.subarray(at, at + FRAME),
    );
    if (!f) continue;
    (f.mfcc ?? []).forEach((v: number, i: number) => mfcc[i]?.push(finite(v)));
    cols[0]!.push(finite(f.spectralCentroid));
    cols[1]!.push(finite(f.spectralRolloff) / 1000);
    cols[2]!.push(finite(f.spectralFlatness));
    cols[3]!.push(finite(f.zcr) / FRAME);
    cols[4]!.push(finite(f.rms));
  }
  return [
    ...mfcc.map(mean),
    ...mfcc.map(std),
    mean(cols[0]!),
    mean(cols[1]!),
    mean(cols[2]!),
    mean(cols[3]!),
    mean(cols[4]!),
    std(cols[4]!),
    segment.length / MODEL_RATE,
  ];
}
