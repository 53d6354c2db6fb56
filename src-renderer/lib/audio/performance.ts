import {
  AUDIO_MODEL_FAMILIES,
  type AudioModelPerformance,
} from '../../../src-shared/contract/index.js';

/**
 * `GET /api/analytics/model-performance` (its contract shape) laid out for the Analytics screen:
 * one entry per family in the reference's order, then the weighted vote, each with its per-class
 * scores and confusion matrix on the same class order.
 */
export interface FamilyPerformance {
  readonly family: string;
  readonly accuracy: number;
  readonly macroF1: number;
  /** The family's weight in the vote (null for the vote itself). */
  readonly weight: number | null;
  readonly perClass: readonly {
    readonly label: string;
    readonly precision: number;
    readonly recall: number;
    readonly f1: number;
    readonly support: number;
  }[];
  readonly confusion: readonly (readonly number[])[];
}

export interface Performance {
  readonly classes: readonly string[];
  readonly families: readonly FamilyPerformance[];
  /** Share of clips each pair of families classed alike ("CNN/TRANSFORMER"). */
  readonly agreement: readonly { readonly name: string; readonly value: number }[];
  readonly clips: number;
  readonly evaluatedOn: 'test' | 'val';
  readonly trainedAt: string;
}

export const FAMILY_NAMES = AUDIO_MODEL_FAMILIES;
/** The name the vote is shown under, beside the families. */
export const VOTE = 'VOTE';

type Scores = AudioModelPerformance['vote'];

function familyOf(
  family: string,
  scores: Scores,
  classes: readonly string[],
  weight: number | null,
): FamilyPerformance {
  return {
    family,
    accuracy: scores.accuracy,
    macroF1: scores.macro_f1,
    weight,
    perClass: classes.map((label) => {
      const c = scores.per_class[label];
      return {
        label,
        precision: c?.precision ?? 0,
        recall: c?.recall ?? 0,
        f1: c?.f1 ?? 0,
        support: c?.support ?? 0,
      };
    }),
    confusion: scores.confusion_matrix,
  };
}

export function readPerformance(raw: AudioModelPerformance): Performance {
  const known = FAMILY_NAMES.filter((f) => raw.families[f] !== undefined);
  const others = Object.keys(raw.families).filter(
    (f) => !(FAMILY_NAMES as readonly string[]).includes(f),
  );
  const families = [...known, ...others].map((f) =>
    familyOf(f, raw.families[f] as Scores, raw.classes, raw.weights[f] ?? null),
  );
  return {
    classes: raw.classes,
    families: [...families, familyOf(VOTE, raw.vote, raw.classes, null)],
    agreement: Object.entries(raw.agreement).map(([name, value]) => ({ name, value })),
    clips: raw.clips,
    evaluatedOn: raw.evaluated_on,
    trainedAt: raw.trained_at,
  };
}
