import { describe, expect, it } from 'vitest';
import type { EvalItemResult } from '../../src-shared/contract/index.js';
import { offDiagonalPage } from '../../src-renderer/lib/cell-gallery.js';

const item = (filename: string, t: string, p: string): EvalItemResult => ({
  filename,
  true_label: t,
  predicted_label: p,
  confidence: 0.5,
  correct: t === p,
  error: 0.5,
  probabilities: null,
  target: null,
  prediction: null,
});

describe('offDiagonalPage', () => {
  const errors = [
    item('cat/1.png', 'cat', 'dog'),
    item('cat/2.png', 'cat', 'fox'),
    item('cat/3.png', 'cat', 'dog'),
    item('cat/4.png', 'cat', 'dog'),
    item('dog/1.png', 'dog', 'dog'),
  ];

  it('keeps only the cell’s true and predicted class, in the server’s order', () => {
    const { items, total } = offDiagonalPage(
      errors,
      { trueClass: 'cat', predictedClass: 'dog' },
      1,
      10,
    );
    expect(total).toBe(3);
    expect(items.map((r) => r.filename)).toEqual(['cat/1.png', 'cat/3.png', 'cat/4.png']);
  });

  it('pages the narrowed items; a page past the end is empty', () => {
    const cell = { trueClass: 'cat', predictedClass: 'dog' };
    expect(offDiagonalPage(errors, cell, 2, 2).items.map((r) => r.filename)).toEqual(['cat/4.png']);
    expect(offDiagonalPage(errors, cell, 3, 2)).toEqual({ items: [], total: 3 });
  });

  it('a cell with no items has total 0', () => {
    expect(offDiagonalPage(errors, { trueClass: 'dog', predictedClass: 'cat' }, 1, 5).total).toBe(
      0,
    );
  });
});
