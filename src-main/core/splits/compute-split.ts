import type {
  ClassDistribution,
  SplitStats,
  SplitSubset,
} from '../../../src-shared/contract/index.js';
import { deriveSeed, mulberry32, shuffleInPlace } from './prng.js';

export interface SplitItem {
  readonly id: number;
  readonly filename: string;
  readonly className: string | null;
  /** A derived item's root original (an augmented copy): it goes wherever its root goes. */
  readonly sourceId?: number | null | undefined;
  /** Left out by undersampling: in no subset ("none"), with its copies. */
  readonly excluded?: boolean | undefined;
}

export interface SplitRatiosInput {
  readonly train: number;
  readonly val: number;
  readonly test: number;
}

export interface SplitOptions {
  readonly ratios: SplitRatiosInput;
  readonly seed: number;
  /** Split each class on its own (keeps class proportions in every subset); false: one pool. */
  readonly stratify: boolean;
}

export interface SplitAssignment {
  readonly itemId: number;
  readonly subset: SplitSubset;
}

/** Name given to items without a class in per-class tables. */
export const UNLABELED = '(unlabeled)';

/**
 * How many of `n` items go to each subset. Cumulative rounding: the cut points are
 * round(n·train), round(n·(train+val)), round(n·(train+val+test)), clamped to n. Each count is within one
 * of n·ratio, the counts never add up to more than n, and when the ratios add up to 1 nothing is left
 * out (rounding each subset on its own can lose or overbook an item: 10 × 0.34/0.33/0.33 would leave one out).
 * What remains goes to "none".
 */
export function subsetSizes(n: number, ratios: SplitRatiosInput): SplitStats {
  // Rounding n·ratio to 9 decimals first keeps float noise (0.1 + 0.2) away from the .5 boundaries.
  const cut = (x: number) => Math.min(n, Math.max(0, Math.round(Number((n * x).toFixed(9)))));
  const a = cut(ratios.train);
  const b = Math.max(a, cut(ratios.train + ratios.val));
  const c = Math.max(b, cut(ratios.train + ratios.val + ratios.test));
  return { train: a, val: b - a, test: c - b, none: n - c };
}

const byFilename = (x: SplitItem, y: SplitItem): number =>
  x.filename < y.filename ? -1 : x.filename > y.filename ? 1 : x.id - y.id;

/**
 * Assigns every item to train/val/test/none. Deterministic: the same items, ratios, seed and stratify
 * give the same assignment whatever order the items arrive in (they are sorted by filename first).
 * Each class draws from its own PRNG stream seeded by (seed, class name), so importing a new class later
 * does not reshuffle the classes already there.
 *
 * Only originals are drawn: a derived item (`sourceId`) follows its root, so an augmented copy of a
 * test clip is never trained on, and adding copies never moves an original or changes the subset
 * sizes (ratios apply to the originals). A copy whose root is not among the items counts as an
 * original. Excluded originals, and their copies, go to "none".
 */
export function computeSplit(
  items: readonly SplitItem[],
  options: SplitOptions,
): SplitAssignment[] {
  const ids = new Set(items.map((i) => i.id));
  const rootOf = (item: SplitItem): number | null =>
    item.sourceId != null && item.sourceId !== item.id && ids.has(item.sourceId)
      ? item.sourceId
      : null;
  const groups = new Map<string, SplitItem[]>();
  const subsetOf = new Map<number, SplitSubset>();
  for (const item of items) {
    if (rootOf(item) !== null) continue;
    if (item.excluded) {
      subsetOf.set(item.id, 'none');
      continue;
    }
    // "\u0000" cannot be a folder name, so unlabelled items never share a stream with a real class.
    const key = options.stratify ? (item.className ?? '\u0000unlabeled') : '\u0000all';
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const keys = [...groups.keys()].sort();
  for (const key of keys) {
    const group = (groups.get(key) ?? []).sort(byFilename);
    shuffleInPlace(group, mulberry32(deriveSeed(options.seed, key)));
    const sizes = subsetSizes(group.length, options.ratios);
    let i = 0;
    for (const subset of ['train', 'val', 'test', 'none'] as const) {
      for (let k = 0; k < sizes[subset]; k++) subsetOf.set((group[i++] as SplitItem).id, subset);
    }
  }
  // Originals in the order drawn (what callers and tests saw before lineage), then their copies.
  const out: SplitAssignment[] = [...subsetOf].map(([itemId, subset]) => ({ itemId, subset }));
  for (const item of [...items].sort(byFilename)) {
    const root = rootOf(item);
    if (root !== null) out.push({ itemId: item.id, subset: subsetOf.get(root) ?? 'none' });
  }
  return out;
}

/** Totals and the per-class table of an assignment (items missing from it count as "none"). */
export function summarizeSplit(
  items: readonly SplitItem[],
  assignment: ReadonlyMap<number, SplitSubset>,
): { stats: SplitStats; per_class: ClassDistribution[] } {
  const stats = { train: 0, val: 0, test: 0, none: 0 };
  const perClass = new Map<string, ClassDistribution>();
  for (const item of items) {
    const subset = assignment.get(item.id) ?? 'none';
    stats[subset]++;
    const name = item.className ?? UNLABELED;
    const row = perClass.get(name) ?? { class: name, train: 0, val: 0, test: 0, none: 0 };
    row[subset]++;
    perClass.set(name, row);
  }
  const per_class = [...perClass.values()].sort((a, b) =>
    a.class < b.class ? -1 : a.class > b.class ? 1 : 0,
  );
  return { stats, per_class };
}
