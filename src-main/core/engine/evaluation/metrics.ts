/**
 * Evaluation metrics, as scikit-learn defines them (classification_report, confusion_matrix,
 * top_k_accuracy_score, mean_squared_error, mean_absolute_error, r2_score), so numbers can be
 * checked against the usual tools. A class with no predictions has precision 0, with no true
 * items recall 0 (sklearn's zero_division=0).
 */

export interface ClassMetrics {
  readonly class: string;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  /** True items of the class. */
  readonly support: number;
}

export interface AveragedMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly per_class: readonly ClassMetrics[];
  readonly macro_avg: AveragedMetrics;
  readonly weighted_avg: AveragedMetrics;
  /** confusion_matrix[true][predicted]: counts. */
  readonly confusion_matrix: readonly (readonly number[])[];
  /** Top-k accuracy by k (k from 1 to min(5, classes)). */
  readonly top_k_accuracy: Readonly<Record<string, number>>;
  readonly count: number;
}

export interface RegressionMetrics {
  readonly mse: number;
  readonly rmse: number;
  readonly mae: number;
  /** 1 − SS_res/SS_tot; with a constant target, 1 when every prediction is exact and 0 otherwise (sklearn). */
  readonly r2: number;
  readonly count: number;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

/**
 * Metrics from per-item class probabilities (`probabilities[i]` over `classes`) and true class
 * indices. The prediction is the highest probability, ties to the lower index (argmax).
 */
export function classificationMetrics(
  classes: readonly string[],
  labels: readonly number[],
  probabilities: readonly (readonly number[])[],
): ClassificationMetrics {
  const k = classes.length;
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const maxK = Math.min(5, k);
  const topHits = new Array<number>(maxK + 1).fill(0);
  labels.forEach((label, i) => {
    const p = probabilities[i] ?? [];
    const predicted = argmax(p);
    (cm[label] as number[])[predicted] = ((cm[label] as number[])[predicted] as number) + 1;
    // Rank of the true class: how many classes score strictly higher (or equal at a lower index).
    const own = p[label] ?? -Infinity;
    let rank = 0;
    p.forEach((v, j) => {
      if (v > own || (v === own && j < label)) rank++;
    });
    for (let t = rank + 1; t <= maxK; t++) topHits[t] = (topHits[t] as number) + 1;
  });
  const n = labels.length;
  const perClass = classes.map((name, c) => {
    const tp = (cm[c] as number[])[c] as number;
    const support = (cm[c] as number[]).reduce((a, b) => a + b, 0);
    const predicted = cm.reduce((a, row) => a + (row[c] as number), 0);
    const precision = ratio(tp, predicted);
    const recall = ratio(tp, support);
    const f1 = ratio(2 * precision * recall, precision + recall);
    return { class: name, precision, recall, f1, support };
  });
  const avg = (weight: (m: ClassMetrics) => number): AveragedMetrics => {
    const total = perClass.reduce((a, m) => a + weight(m), 0);
    const mean = (f: (m: ClassMetrics) => number): number =>
      ratio(
        perClass.reduce((a, m) => a + f(m) * weight(m), 0),
        total,
      );
    return {
      precision: mean((m) => m.precision),
      recall: mean((m) => m.recall),
      f1: mean((m) => m.f1),
    };
  };
  const correct = classes.reduce((a, _, c) => a + ((cm[c] as number[])[c] as number), 0);
  const topK: Record<string, number> = {};
  for (let t = 1; t <= maxK; t++) topK[String(t)] = ratio(topHits[t] as number, n);
  return {
    accuracy: ratio(correct, n),
    per_class: perClass,
    macro_avg: avg(() => 1),
    weighted_avg: avg((m) => m.support),
    confusion_matrix: cm,
    top_k_accuracy: topK,
    count: n,
  };
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) {
    if ((values[i] as number) > (values[best] as number)) best = i;
  }
  return best;
}

export function regressionMetrics(
  targets: readonly number[],
  predictions: readonly number[],
): RegressionMetrics {
  const n = targets.length;
  let se = 0;
  let ae = 0;
  let mean = 0;
  for (const t of targets) mean += t / Math.max(1, n);
  let ssTot = 0;
  targets.forEach((t, i) => {
    const e = t - (predictions[i] as number);
    se += e * e;
    ae += Math.abs(e);
    ssTot += (t - mean) ** 2;
  });
  const mse = ratio(se, n);
  const r2 = ssTot > 0 ? 1 - se / ssTot : se === 0 ? 1 : 0;
  return { mse, rmse: Math.sqrt(mse), mae: ratio(ae, n), r2, count: n };
}
