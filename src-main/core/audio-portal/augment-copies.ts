import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type {
  AudioAugmentRecipe,
  AudioAugmentTechnique,
  AudioAugmentTechniques,
  AudioEvent,
  ImportResult,
} from '../../../src-shared/contract/index.js';
import { AppError } from '../errors.js';
import { deriveSeed, mulberry32 } from '../splits/prng.js';
import type { ItemRow } from '../store/repos/types.js';
import type { StagedFile } from '../workspace/import-types.js';
import { addNoise, gain, pitchShift, timeShift, timeStretch } from './augment-dsp.js';
import type { DecodedClip } from './decode.js';
import { detectOnsets } from './onsets.js';
import { encodeWav16 } from './wav.js';

/** Default ranges (the detector app's prior art for noise and gain). */
const DEFAULTS = {
  time_stretch: { min_rate: 0.85, max_rate: 1.15 },
  pitch_shift: { min_semitones: -2, max_semitones: 2 },
  add_noise: { min_snr_db: 25, max_snr_db: 40 },
  time_shift: { min_seconds: -0.25, max_seconds: 0.25 },
  gain: { min_db: -20, max_db: 0 },
} as const;

/** The techniques a request turns on, each with its ranges resolved (defaults filled in). */
export type TechniquePlan = {
  readonly [K in AudioAugmentTechnique]?: { readonly [P in keyof (typeof DEFAULTS)[K]]: number };
};

export function planTechniques(asked: AudioAugmentTechniques): TechniquePlan {
  const plan: Record<string, Record<string, number>> = {};
  for (const [name, value] of Object.entries(asked)) {
    if (value === undefined || value === false) continue;
    const defaults = DEFAULTS[name as AudioAugmentTechnique] as Record<string, number>;
    const given = value === true ? {} : (value as Record<string, number | undefined>);
    const [lo, hi] = Object.keys(defaults) as [string, string];
    const min = given[lo] ?? Math.min(defaults[lo]!, given[hi] ?? Infinity);
    const max = given[hi] ?? Math.max(defaults[hi]!, min);
    if (min > max) {
      throw new AppError('bad_request', `${name}: ${lo} (${min}) is above ${hi} (${max})`);
    }
    plan[name] = { [lo]: min, [hi]: max };
  }
  return plan as TechniquePlan;
}

/** Every technique with its default ranges: what oversampling uses. */
export const ALL_TECHNIQUES: TechniquePlan = DEFAULTS;

const round = (x: number, digits: number): number => Number(x.toFixed(digits));

/** One copy's values, drawn from the plan by a generator seeded by (seed, source, copy index). */
export function drawRecipe(
  plan: TechniquePlan,
  seed: number,
  source: CopySource,
  copy: string,
): AudioAugmentRecipe {
  const rnd = mulberry32(deriveSeed(seed, `${source.hash}:${copy}`));
  const pick = (lo: number, hi: number, digits: number) => round(lo + (hi - lo) * rnd(), digits);
  const r: { -readonly [K in keyof AudioAugmentRecipe]: AudioAugmentRecipe[K] } = {
    seed: deriveSeed(seed, `${source.hash}:${copy}:noise`),
    derived_from: source.filename,
  };
  // Always drawn in this order, so turning one technique off does not change another's value.
  if (plan.time_stretch) {
    r.time_stretch = { rate: pick(plan.time_stretch.min_rate, plan.time_stretch.max_rate, 3) };
  }
  if (plan.pitch_shift) {
    const p = plan.pitch_shift;
    r.pitch_shift = { semitones: pick(p.min_semitones, p.max_semitones, 2) };
  }
  if (plan.time_shift) {
    r.time_shift = { seconds: pick(plan.time_shift.min_seconds, plan.time_shift.max_seconds, 3) };
  }
  if (plan.gain) r.gain = { db: pick(plan.gain.min_db, plan.gain.max_db, 2) };
  if (plan.add_noise) {
    r.add_noise = { snr_db: pick(plan.add_noise.min_snr_db, plan.add_noise.max_snr_db, 2) };
  }
  return r;
}

/**
 * The recipe applied to a clip. Noise comes last so its SNR is relative to the signal as the
 * copy has it (after gain), which is what the request asked for.
 */
export function applyRecipe(clip: DecodedClip, r: AudioAugmentRecipe): Float32Array {
  let x = clip.samples;
  const sr = clip.sampleRate;
  if (r.time_stretch && r.time_stretch.rate !== 1) x = timeStretch(x, sr, r.time_stretch.rate);
  if (r.pitch_shift && r.pitch_shift.semitones !== 0) {
    x = pitchShift(x, sr, r.pitch_shift.semitones);
  }
  if (r.time_shift) x = timeShift(x, sr, r.time_shift.seconds);
  if (r.gain) x = gain(x, r.gain.db);
  if (r.add_noise) x = addNoise(x, r.add_noise.snr_db, mulberry32(r.seed));
  return x;
}

/** A copy written to the tmp folder, waiting for the import. */
export interface StagedCopy {
  readonly staged: StagedFile;
  readonly hash: string;
  readonly rootId: number;
  readonly root: string;
  readonly classLabel: string;
  readonly recipe: AudioAugmentRecipe;
  readonly events: readonly AudioEvent[];
}

/** What a copy needs of its source row (plain data: it crosses to the task thread). */
export type CopySource = Pick<ItemRow, 'id' | 'filename' | 'hash' | 'class_name'>;

/** `<class>/<stem>__aug_<8 hex>.wav`: named by source and recipe, so a repeat finds its twin. */
function copyName(source: CopySource, classLabel: string, recipe: AudioAugmentRecipe): string {
  const stem = path
    .basename(source.filename)
    .replace(/\.[^.]*$/, '')
    .replace(/__aug_[0-9a-f]{8}$/, '');
  const tag = createHash('sha256')
    .update(`${source.hash}\n${JSON.stringify(recipe)}`)
    .digest('hex')
    .slice(0, 8);
  return `${classLabel}/${stem}__aug_${tag}.wav`;
}

export async function stageCopy(
  tmpDir: string,
  name: string,
  source: CopySource,
  root: { readonly id: number; readonly filename: string },
  clip: DecodedClip,
  recipe: AudioAugmentRecipe,
): Promise<StagedCopy> {
  const classLabel = source.class_name ?? 'unlabelled';
  const samples = applyRecipe(clip, recipe);
  const wav = encodeWav16(samples, clip.sampleRate);
  const tempPath = path.join(tmpDir, name);
  await writeFile(tempPath, wav);
  const events = detectOnsets(samples, clip.sampleRate).map((e) => ({
    onset: round(e.onset, 3),
    offset: round(e.offset, 3),
  }));
  return {
    staged: { tempPath, relativePath: copyName(source, classLabel, recipe) },
    hash: createHash('sha256').update(wav).digest('hex'),
    // A copy of a copy is linked to the root: lineage is one level deep.
    rootId: root.id,
    root: root.filename,
    classLabel,
    recipe,
    events,
  };
}

/** An import's refusals as one error (generated WAVs are never refused unless something broke). */
export function importFailure(result: ImportResult | null, status: string): AppError | null {
  if (result === null) return new AppError('internal', `the import of the copies ended ${status}`);
  const err = result.errors[0];
  if (!err) return null;
  return new AppError('internal', `augmented copy ${err.file} was refused: ${err.message}`);
}
