import sharp from 'sharp';

/**
 * The two server-side plots of /train as PNGs: an SVG drawn here (axes, ticks, lines, points)
 * rasterised by sharp, which the app already ships — lighter than vega + resvg for two charts.
 */

const W = 800;
const H = 500;
const M = { left: 70, right: 20, top: 40, bottom: 60 };
const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

interface Scale {
  readonly min: number;
  readonly max: number;
  readonly ticks: readonly number[];
}

/** "Nice" ticks (1, 2, 5 × 10^k) covering [lo, hi]. */
export function niceScale(lo: number, hi: number): Scale {
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    return niceScale(lo - pad, hi + pad);
  }
  const raw = (hi - lo) / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((f) => f * mag >= raw) ?? 10) * mag;
  const min = Math.floor(lo / step) * step;
  const max = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = min; v <= max + step / 2; v += step) ticks.push(Number(v.toPrecision(12)));
  return { min, max, ticks };
}

const fmt = (v: number): string =>
  Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(1) : String(v);

function frame(title: string, xLabel: string, yLabel: string, xs: Scale, ys: Scale): string[] {
  const pw = W - M.left - M.right;
  const ph = H - M.top - M.bottom;
  const px = (v: number): number => M.left + ((v - xs.min) / (xs.max - xs.min)) * pw;
  const py = (v: number): number => M.top + ph - ((v - ys.min) / (ys.max - ys.min)) * ph;
  const parts = [
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    `<text x="${W / 2}" y="24" text-anchor="middle" font-size="18" font-weight="bold">${esc(title)}</text>`,
  ];
  for (const t of xs.ticks) {
    parts.push(
      `<line x1="${px(t)}" y1="${M.top}" x2="${px(t)}" y2="${M.top + ph}" stroke="#e5e5e5"/>`,
      `<text x="${px(t)}" y="${M.top + ph + 18}" text-anchor="middle" font-size="12">${fmt(t)}</text>`,
    );
  }
  for (const t of ys.ticks) {
    parts.push(
      `<line x1="${M.left}" y1="${py(t)}" x2="${M.left + pw}" y2="${py(t)}" stroke="#e5e5e5"/>`,
      `<text x="${M.left - 8}" y="${py(t) + 4}" text-anchor="end" font-size="12">${fmt(t)}</text>`,
    );
  }
  parts.push(
    `<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`,
    `<text x="${M.left + pw / 2}" y="${H - 16}" text-anchor="middle" font-size="14">${esc(xLabel)}</text>`,
    `<text x="18" y="${M.top + ph / 2}" text-anchor="middle" font-size="14" transform="rotate(-90 18 ${M.top + ph / 2})">${esc(yLabel)}</text>`,
  );
  return parts;
}

function scaler(s: Scale, from: number, span: number, flip: boolean): (v: number) => number {
  return (v) => {
    const f = (v - s.min) / (s.max - s.min);
    return flip ? from + span - f * span : from + f * span;
  };
}

const svgDoc = (parts: readonly string[]): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;

export function learningCurveSvg(
  loss: readonly number[],
  valLoss: readonly (number | null)[],
): string {
  const all = [...loss, ...valLoss.filter((v): v is number => v !== null)];
  const xs = niceScale(1, Math.max(2, loss.length));
  const ys = niceScale(0, Math.max(...all, 1e-6));
  const parts = frame('Learning curve', 'epoch', 'MSE', xs, ys);
  const px = scaler(xs, M.left, W - M.left - M.right, false);
  const py = scaler(ys, M.top, H - M.top - M.bottom, true);
  const line = (vals: readonly (number | null)[], color: string): string => {
    const pts = vals
      .map((v, i) => (v === null ? null : `${px(i + 1).toFixed(1)},${py(v).toFixed(1)}`))
      .filter((p): p is string => p !== null);
    return `<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2"/>`;
  };
  parts.push(line(loss, '#1f77b4'), line(valLoss, '#ff7f0e'));
  parts.push(
    `<rect x="${W - 190}" y="${M.top + 10}" width="160" height="50" fill="#fff" stroke="#999"/>`,
    `<line x1="${W - 180}" y1="${M.top + 28}" x2="${W - 150}" y2="${M.top + 28}" stroke="#1f77b4" stroke-width="2"/>`,
    `<text x="${W - 144}" y="${M.top + 32}" font-size="12">train loss</text>`,
    `<line x1="${W - 180}" y1="${M.top + 48}" x2="${W - 150}" y2="${M.top + 48}" stroke="#ff7f0e" stroke-width="2"/>`,
    `<text x="${W - 144}" y="${M.top + 52}" font-size="12">validation loss</text>`,
  );
  return svgDoc(parts);
}

export function predictionsSvg(
  actual: readonly number[],
  predicted: readonly number[],
  r2: number,
): string {
  const lo = Math.min(...actual, ...predicted);
  const hi = Math.max(...actual, ...predicted);
  const s = niceScale(lo, hi);
  const parts = frame(
    `Predicted vs actual (test, R² = ${r2.toFixed(4)})`,
    'actual',
    'predicted',
    s,
    s,
  );
  const px = scaler(s, M.left, W - M.left - M.right, false);
  const py = scaler(s, M.top, H - M.top - M.bottom, true);
  parts.push(
    `<line x1="${px(s.min)}" y1="${py(s.min)}" x2="${px(s.max)}" y2="${py(s.max)}" stroke="#d62728" stroke-dasharray="6 4"/>`,
  );
  actual.forEach((a, i) => {
    parts.push(
      `<circle cx="${px(a).toFixed(1)}" cy="${py(predicted[i] as number).toFixed(1)}" r="2.5" fill="#1f77b4" fill-opacity="0.6"/>`,
    );
  });
  return svgDoc(parts);
}

export function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}
