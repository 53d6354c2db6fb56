import { describe, expect, it } from 'vitest';
import { NO_PICK, pickAt, stepIndex } from '../../src-renderer/lib/multi-select.js';

const names = ['a', 'b', 'c', 'd', 'e'];
const at = (i: number) => names[i];
const plain = { shift: false, toggle: false };
const ctrl = { shift: false, toggle: true };
const shift = { shift: true, toggle: false };

describe('picking items', () => {
  it('a plain click picks one item and sets the anchor', () => {
    expect(pickAt(NO_PICK, 2, at, plain)).toEqual({ picked: ['c'], anchor: 2 });
  });

  it('ctrl-click adds and removes one item', () => {
    const one = pickAt(NO_PICK, 0, at, plain);
    const two = pickAt(one, 3, at, ctrl);
    expect(two.picked).toEqual(['a', 'd']);
    expect(pickAt(two, 0, at, ctrl).picked).toEqual(['d']);
  });

  it('shift-click picks the range from the anchor, either direction, keeping earlier picks', () => {
    const start = pickAt(NO_PICK, 3, at, plain);
    expect(pickAt(start, 1, at, shift).picked).toEqual(['d', 'b', 'c']);
    const withCtrl = pickAt(pickAt(NO_PICK, 0, at, plain), 2, at, ctrl);
    expect(pickAt(withCtrl, 4, at, shift).picked).toEqual(['a', 'c', 'd', 'e']);
  });

  it('a range skips items whose page is not loaded, and shift without an anchor is a click', () => {
    const sparse = (i: number) => (i === 2 ? undefined : names[i]);
    expect(pickAt(pickAt(NO_PICK, 0, sparse, plain), 4, sparse, shift).picked).toEqual([
      'a',
      'b',
      'd',
      'e',
    ]);
    expect(pickAt(NO_PICK, 1, at, shift)).toEqual({ picked: ['b'], anchor: 1 });
  });

  it('arrow keys step inside the list', () => {
    expect(stepIndex(0, -1, 5)).toBe(0);
    expect(stepIndex(4, 1, 5)).toBe(4);
    expect(stepIndex(2, 1, 5)).toBe(3);
    expect(stepIndex(0, 1, 0)).toBeNull();
  });
});
