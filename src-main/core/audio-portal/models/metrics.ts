/** Scores of one family (or the vote) on labelled clips: what /api/analytics/model-performance reports. */
export interface ClassScores {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
}

export interface Scores {
  readonly accuracy: number;
  readonly per_class: Record<string, ClassScores>;
  readonly macro_f1: number;
  /** Rows: the true class, columns: the predicted one, in `classes` order. */
  readonly confusion_matrix: number[][];
}

const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;

export const argmax = (p: readonly number[]): number =>
  p.reduce((best, v, i) => (v > p[best]! ? i : best), 0);

export function score(
  truth: readonly number[],
  predicted: readonly number[],
  classes: readonly string[],
): Scores {
  const k = classes.length;
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  truth.forEach((t, i) => (cm[t]![predicted[i]!]! += 1));
  const per_class: Record<string, ClassScores> = {};
  let f1Sum = 0;
  classes.forEach((name, c) => {
    const tp = cm[c]![c]!;
    const support = cm[c]!.reduce((s, v) => s + v, 0);
    const predictedC = cm.reduce((s, row) => s + row[c]!, 0);
    const precision = predictedC === 0 ? 0 : tp / predictedC;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    f1Sum += f1;
    per_class[name] = { precision: r4(precision), recall: r4(recall), f1: r4(f1), support };
  });
  const correct = truth.filter((t, i) => t === predicted[i]).length;
  return {
    accuracy: r4(truth.length === 0 ? 0 : correct / truth.length),
    per_class,
    macro_f1: r4(f1Sum / k),
    confusion_matrix: cm,
  };
}

/** The share of clips on which two families chose the same class. */
export function agreement(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0) return 0;
  return r4(a.filter((x, i) => x === b[i]).length / a.length);
}

/**
 * Soft-vote weights, one per family, fitted on the validation clips: every weighting on a 0.1 grid
 * of the simplex, the most accurate kept (ties: the lowest log-loss, then the most even). Each
 * family keeps at least 0.1: on a small validation split every family is often right, and the
 * log-loss tie-break alone would hand the whole vote to the most confident one.
 */
export function fitVoteWeights(
  perFamily: readonly (readonly (readonly number[])[])[],
  truth: readonly number[],
): number[] {
  const n = perFamily.length;
  if (n === 1) return [1];
  const grid: number[][] = [];
  const walk = (prefix: number[], left: number): void => {
    if (prefix.length === n - 1) return void grid.push([...prefix, left]);
    const others = n - 1 - prefix.length;
    for (let w = 1; w <= left - others; w++) walk([...prefix, w], left - w);
  };
  walk([], 10);
  let best = { acc: -1, loss: Infinity, spread: Infinity, w: new Array<number>(n).fill(1 / n) };
  for (const g of grid) {
    const w = g.map((x) => x / 10);
    let correct = 0;
    let loss = 0;
    truth.forEach((t, i) => {
      const p = combine(
        perFamily.map((f) => f[i]!),
        w,
      );
      if (argmax(p) === t) correct++;
      loss -= Math.log(Math.max(1e-6, p[t]!));
    });
    const spread = Math.max(...w) - Math.min(...w);
    const better =
      correct > best.acc ||
      (correct === best.acc &&
        (loss < best.loss - 1e-9 || (Math.abs(loss - best.loss) <= 1e-9 && spread < best.spread)));
    if (better) best = { acc: correct, loss, spread, w };
  }
  return best.w;
}

export function combine(
  probs: readonly (readonly number[])[],
  weights: readonly number[],
): number[] {
  const k = probs[0]?.length ?? 0;
  const out = new Array<number>(k).fill(0);
  const total = weights.reduce((s, w) => s + w, 0) || 1;
  probs.forEach((p, f) => p.forEach((v, c) => (out[c]! += (v * weights[f]!) / total)));
  return out;
}
