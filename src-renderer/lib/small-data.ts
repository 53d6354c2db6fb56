import type { ClassDistribution } from '../../src-shared/contract/index.js';
import { plural } from './format.js';

/** Below this many items in a class, a per-class figure moves by many points between splits. */
export const SMALL_CLASS = 20;

/** z for a two-sided 95% interval. */
const Z95 = 1.959964;

export interface Interval {
  readonly lo: number;
  readonly hi: number;
}

/**
 * The Wilson score interval for `successes` out of `n` (95% by default). Unlike the normal
 * approximation it stays inside [0, 1] and is not zero-width at 0% or 100%, which is exactly
 * where small classes land.
 */
export function wilsonInterval(successes: number, n: number, z = Z95): Interval {
  if (!(n > 0)) return { lo: 0, hi: 1 };
  const p = Math.min(1, Math.max(0, successes / n));
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/** The widest ± (in percentage points) an accuracy measured on `n` items can carry (at 50%). */
export function worstSwingPoints(n: number): number {
  const { lo, hi } = wilsonInterval(n / 2, n);
  return Math.round(((hi - lo) / 2) * 100);
}

const pct = (v: number): string => `${Math.round(v * 100)}%`;

export const formatInterval = (i: Interval): string => `${pct(i.lo)}–${pct(i.hi)}`;

const listed = (names: readonly string[], max = 4, sep = ', '): string =>
  names.length <= max
    ? names.join(sep)
    : `${names.slice(0, max).join(sep)} and ${names.length - max} more`;

/**
 * The Splits screen's warning: which classes have fewer than SMALL_CLASS validation or test
 * items, and how far an accuracy measured on the smallest of them can swing. Null when none
 * (a subset the split leaves empty is not counted: nothing will be measured on it).
 */
export function splitSmallDataWarning(perClass: readonly ClassDistribution[]): string | null {
  const labelled = perClass.filter((c) => c.class !== '');
  const parts = (['val', 'test'] as const).filter((s) => labelled.some((c) => c[s] > 0));
  const small = labelled.filter((c) => parts.some((s) => c[s] < SMALL_CLASS));
  if (small.length === 0) return null;
  const smallest = Math.min(...small.flatMap((c) => parts.map((s) => c[s])));
  const names = small.map((c) => `${c.class} (${parts.map((s) => c[s]).join('/')})`);
  const where = parts.map((s) => (s === 'val' ? 'validation' : 'test')).join('/');
  const swing =
    smallest === 0
      ? 'a class with no items there cannot be measured at all'
      : `an accuracy measured on ${plural(smallest, 'item')} can be off by up to ±${worstSwingPoints(smallest)} points (95% Wilson interval)`;
  return (
    `${small.length === 1 ? '1 class has' : `${small.length} classes have`} fewer than ` +
    `${SMALL_CLASS} ${where} items: ${listed(names)}. Their figures will swing from split to ` +
    `split: ${swing}.`
  );
}

interface ClassScore {
  readonly class: string;
  readonly support: number;
}

/**
 * The Evaluation screen's note for classes with fewer than SMALL_CLASS items: each one's recall
 * (its accuracy) with its 95% Wilson interval. `correct[i]` is the confusion matrix's diagonal.
 */
export function evaluationSmallDataWarning(
  perClass: readonly ClassScore[],
  correct: readonly number[],
): string | null {
  const small = perClass
    .map((c, i) => ({ ...c, correct: correct[i] ?? 0 }))
    .filter((c) => c.support > 0 && c.support < SMALL_CLASS);
  if (small.length === 0) return null;
  const shown = small.map(
    (c) =>
      `${c.class} ${c.correct}/${c.support} right (${formatInterval(wilsonInterval(c.correct, c.support))})`,
  );
  return (
    `${small.length === 1 ? '1 class has' : `${small.length} classes have`} fewer than ` +
    `${SMALL_CLASS} items here, so their figures will swing. Each class's accuracy with its 95% ` +
    `Wilson interval: ${listed(shown, 4, '; ')}.`
  );
}
