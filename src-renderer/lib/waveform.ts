/**
 * An SVG path for min/max waveform peaks (each -1..1), one vertical bar per bucket drawn as a
 * closed outline: the top edge runs left to right over the maxima, the bottom edge back over the
 * minima. Empty peaks give a flat centre line so the panel never collapses.
 */
export function waveformPath(
  peaks: readonly (readonly [number, number])[],
  width: number,
  height: number,
): string {
  const mid = height / 2;
  if (peaks.length === 0 || width <= 0) return `M0 ${mid} L${width} ${mid}`;
  const step = width / peaks.length;
  const y = (v: number): number => {
    const clamped = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
    return +(mid - clamped * mid).toFixed(2);
  };
  const top: string[] = [];
  const bottom: string[] = [];
  peaks.forEach(([min, max], i) => {
    const x0 = +(i * step).toFixed(2);
    const x1 = +((i + 1) * step).toFixed(2);
    // Keep at least a hairline so silence still shows as a line.
    const hi = Math.min(y(max), mid - 0.5);
    const lo = Math.max(y(min), mid + 0.5);
    top.push(`${x0} ${hi} ${x1} ${hi}`);
    bottom.unshift(`${x1} ${lo} ${x0} ${lo}`);
  });
  return `M${top.join(' L')} L${bottom.join(' L')} Z`;
}
