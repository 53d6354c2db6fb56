// computeSplit with derived items: a copy always goes where its root original goes, the originals'
// draw is the same with or without copies, and excluded originals (with their copies) are in no subset.
import { describe, expect, it } from 'vitest';
import { computeSplit, summarizeSplit, type SplitItem } from '../../src-main/core/splits/index.js';

const R = { train: 0.6, val: 0.2, test: 0.2 };

function originals(perClass: Record<string, number>): SplitItem[] {
  const out: SplitItem[] = [];
  let id = 1;
  for (const [cls, n] of Object.entries(perClass)) {
    for (let i = 0; i < n; i++)
      out.push({ id: id++, filename: `${cls}/c${i}.wav`, className: cls });
  }
  return out;
}

/** `k` copies of every original, ids after the originals', named so they sort among them. */
function withCopies(items: readonly SplitItem[], k: number): SplitItem[] {
  let id = 1000;
  const copies = items.flatMap((src) =>
    Array.from({ length: k }, (_, j) => ({
      id: id++,
      filename: src.filename.replace('.wav', `__aug_${j}.wav`),
      className: src.className,
      sourceId: src.id,
    })),
  );
  return [...items, ...copies];
}

const asMap = (a: readonly { itemId: number; subset: string }[]) =>
  new Map(a.map((x) => [x.itemId, x.subset]));

describe('computeSplit with lineage', () => {
  const base = originals({ gold: 20, iron: 15, other: 10 });
  const all = withCopies(base, 3);

  it('puts every copy in the subset of its source, for any seed and with or without strata', () => {
    for (const stratify of [true, false]) {
      for (const seed of [1, 2, 3, 42, 1234]) {
        const a = asMap(computeSplit(all, { ratios: R, seed, stratify }));
        expect(a.size).toBe(all.length);
        for (const item of all) {
          if (item.sourceId != null) expect(a.get(item.id)).toBe(a.get(item.sourceId));
        }
      }
    }
  });

  it('draws the originals exactly as without copies (stratified sizes kept)', () => {
    const before = asMap(computeSplit(base, { ratios: R, seed: 7, stratify: true }));
    const after = asMap(computeSplit([...all].reverse(), { ratios: R, seed: 7, stratify: true }));
    for (const item of base) expect(after.get(item.id)).toBe(before.get(item.id));
    const { per_class } = summarizeSplit(base, before as Map<number, 'train'>);
    expect(per_class.find((c) => c.class === 'gold')).toMatchObject({ train: 12, val: 4, test: 4 });
  });

  it('is deterministic whatever the input order', () => {
    const a = computeSplit(all, { ratios: R, seed: 5, stratify: true });
    const b = computeSplit([...all].reverse(), { ratios: R, seed: 5, stratify: true });
    expect(asMap(b)).toEqual(asMap(a));
  });

  it('sends excluded originals and their copies to "none", and treats an orphan copy as original', () => {
    const excludedId = base[0]!.id;
    const items = all.map((i) => (i.id === excludedId ? { ...i, excluded: true } : i));
    const orphan = { id: 5000, filename: 'gold/z.wav', className: 'gold', sourceId: 99_999 };
    const a = asMap(computeSplit([...items, orphan], { ratios: R, seed: 3, stratify: true }));
    expect(a.get(excludedId)).toBe('none');
    for (const item of items) if (item.sourceId === excludedId) expect(a.get(item.id)).toBe('none');
    expect(a.get(5000)).toMatch(/^(train|val|test)$/);
    const gold = [...a].filter(([id]) => items.find((i) => i.id === id)?.className === 'gold');
    expect(gold.filter(([, s]) => s === 'none')).toHaveLength(4);
  });
});
