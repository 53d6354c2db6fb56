/** Split ratios as whole percentages, the way the sliders show them. */
export interface RatioPercents {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}
export type RatioKey = keyof RatioPercents;

export const RATIO_KEYS: readonly RatioKey[] = ['train', 'val', 'test'];
export const DEFAULT_RATIOS: RatioPercents = { train: 80, val: 10, test: 10 };

const clampPercent = (v: number): number =>
  Math.min(100, Math.max(0, Math.round(Number.isFinite(v) ? v : 0)));

/**
 * Moves one slider and keeps the three consistent: they never add up to more than 100. When the
 * moved one would push the sum over, the excess is taken from the other two in proportion to their
 * size (so 80/10/10 → train 90 gives 90/5/5). Moving one down leaves the rest unassigned ("none")
 * rather than silently growing another subset.
 */
export function adjustRatios(current: RatioPercents, key: RatioKey, value: number): RatioPercents {
  const v = clampPercent(value);
  const [a, b] = RATIO_KEYS.filter((k) => k !== key) as [RatioKey, RatioKey];
  const ra = clampPercent(current[a]);
  const rb = clampPercent(current[b]);
  const excess = v + ra + rb - 100;
  if (excess <= 0) return { ...current, [key]: v, [a]: ra, [b]: rb };
  const others = ra + rb;
  // others >= excess because v <= 100; rounding keeps both results within 0..their old value.
  const takeA = others === 0 ? 0 : Math.round((excess * ra) / others);
  const na = ra - takeA;
  const nb = 100 - v - na;
  return { ...current, [key]: v, [a]: na, [b]: nb };
}

/** What is left out of every subset, in percent. */
export function unassignedPercent(r: RatioPercents): number {
  return Math.max(0, 100 - r.train - r.val - r.test);
}

/** The API's 0..1 ratios. */
export function toFractions(r: RatioPercents): { train: number; val: number; test: number } {
  return { train: r.train / 100, val: r.val / 100, test: r.test / 100 };
}
