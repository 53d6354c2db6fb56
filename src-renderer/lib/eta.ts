/**
 * Remaining time from progress so far, assuming the rate stays what it has been on average.
 * Null until there is something to extrapolate from (no progress, unknown total) or once done.
 */
export function estimateRemainingMs(done: number, total: number, elapsedMs: number): number | null {
  if (!(total > 0) || !(done > 0) || !(elapsedMs > 0) || done >= total) return null;
  const perUnit = elapsedMs / done;
  return Math.round((total - done) * perUnit);
}

/** Fraction 0..1 for a progress bar; 0 while the total is unknown. */
export function progressFraction(done: number, total: number): number {
  if (!(total > 0)) return 0;
  return Math.min(1, Math.max(0, done / total));
}
