/** Geometry of the virtualised thumbnail grid; pure so it can be tested without a DOM. */

/** How many tiles of at least `minTile` px fit across `width` with `gap` between them. */
export function columnsFor(width: number, minTile: number, gap: number): number {
  if (!(width > 0)) return 1;
  return Math.max(1, Math.floor((width + gap) / (minTile + gap)));
}

/** The 1-based pages of `pageSize` items that cover item indexes start..end (inclusive). */
export function pagesForRange(
  start: number,
  end: number,
  pageSize: number,
  total: number,
): number[] {
  if (total <= 0 || end < start) return [];
  const first = Math.floor(Math.max(0, start) / pageSize) + 1;
  const last = Math.floor(Math.min(total - 1, end) / pageSize) + 1;
  const pages: number[] = [];
  for (let p = first; p <= last; p += 1) pages.push(p);
  return pages;
}
