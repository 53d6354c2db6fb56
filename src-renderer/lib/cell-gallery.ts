import type { EvalItemResult } from '../../src-shared/contract/index.js';

/** A confusion-matrix cell: the items of one true class given one predicted class. */
export interface EvalCell {
  readonly trueClass: string;
  readonly predictedClass: string;
}

/**
 * One gallery page of an off-diagonal cell. The results API filters by true class and
 * correctness but not by prediction, so the cell is narrowed from all of its true class's errors
 * (fetched as one large page, in the server's order) and paged here.
 */
export function offDiagonalPage(
  errors: readonly EvalItemResult[],
  cell: EvalCell,
  page: number,
  pageSize: number,
): { readonly items: readonly EvalItemResult[]; readonly total: number } {
  const matching = errors.filter(
    (r) => r.true_label === cell.trueClass && r.predicted_label === cell.predictedClass,
  );
  const start = (Math.max(1, page) - 1) * pageSize;
  return { items: matching.slice(start, start + pageSize), total: matching.length };
}
