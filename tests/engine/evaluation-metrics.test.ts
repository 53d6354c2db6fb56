import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../src-main/core/engine/data/prng.js';
import {
  classificationMetrics,
  regressionMetrics,
} from '../../src-main/core/engine/evaluation/metrics.js';
import { oracle, pythonWith } from '../helpers/oracle.js';

const CLASSES = ['cat', 'dog', 'bird'];
/** (true, predicted) by hand: 9 items, 6 right. */
const PAIRS: [number, number][] = [
  [0, 0],
  [0, 0],
  [0, 1],
  [1, 1],
  [1, 0],
  [2, 2],
  [2, 1],
  [2, 2],
  [1, 1],
];
/** Predicted class 0.6, the true one 0.3 when it differs, the rest the remainder. */
const probs = PAIRS.map(([t, p]) =>
  CLASSES.map((_, c) => (c === p ? 0.6 : c === t ? 0.3 : t === p ? 0.2 : 0.1)),
);

describe('evaluation metrics', () => {
  it('classification: confusion matrix, per-class and averaged precision/recall/F1, top-k — hand-computed', () => {
    const m = classificationMetrics(
      CLASSES,
      PAIRS.map(([t]) => t),
      probs,
    );
    expect(m.confusion_matrix).toEqual([
      [2, 1, 0],
      [1, 2, 0],
      [0, 1, 2],
    ]);
    expect(m.accuracy).toBeCloseTo(6 / 9, 12);
    const by = Object.fromEntries(m.per_class.map((c) => [c.class, c]));
    expect(by.cat).toMatchObject({
      precision: expect.closeTo(2 / 3, 12),
      recall: expect.closeTo(2 / 3, 12),
      f1: expect.closeTo(2 / 3, 12),
      support: 3,
    });
    expect(by.dog).toMatchObject({
      precision: 0.5,
      recall: expect.closeTo(2 / 3, 12),
      f1: expect.closeTo(4 / 7, 12),
      support: 3,
    });
    expect(by.bird).toMatchObject({
      precision: 1,
      recall: expect.closeTo(2 / 3, 12),
      f1: expect.closeTo(0.8, 12),
      support: 3,
    });
    expect(m.macro_avg.precision).toBeCloseTo((2 / 3 + 0.5 + 1) / 3, 12);
    expect(m.macro_avg.f1).toBeCloseTo((2 / 3 + 4 / 7 + 0.8) / 3, 12);
    expect(m.weighted_avg.recall).toBeCloseTo(2 / 3, 12);
    expect(m.top_k_accuracy).toEqual({ '1': 6 / 9, '2': 1, '3': 1 });
    expect(m.count).toBe(9);
  });

  it('weighted averages follow support; a class never predicted has precision 0', () => {
    const m = classificationMetrics(
      ['a', 'b'],
      [0, 0, 0, 1],
      [
        [0.9, 0.1],
        [0.8, 0.2],
        [0.7, 0.3],
        [0.6, 0.4],
      ],
    );
    expect(m.per_class[1]).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(m.per_class[0]).toMatchObject({ precision: 0.75, recall: 1 });
    expect(m.weighted_avg.precision).toBeCloseTo(0.75 * 0.75, 12);
    expect(m.macro_avg.precision).toBeCloseTo(0.375, 12);
  });

  it('regression: MSE, RMSE, MAE, R² — hand-computed', () => {
    const m = regressionMetrics([1, 2, 3, 4], [1.5, 2, 2.5, 4]);
    expect(m).toEqual({ mse: 0.125, rmse: Math.sqrt(0.125), mae: 0.25, r2: 0.9, count: 4 });
    expect(regressionMetrics([2, 2], [2, 2]).r2).toBe(1);
    expect(regressionMetrics([2, 2], [1, 2]).r2).toBe(0);
  });

  const sklearn = oracle('scikit-learn', 'apt-get install python3-sklearn', () =>
    pythonWith('sklearn'),
  );
  it.skipIf(sklearn.skip)(
    'agrees with scikit-learn on random data (Debian python3-sklearn)',
    () => {
      const prng = Prng.fromSeed(3);
      const classes = ['a', 'b', 'c', 'd'];
      const labels = Array.from({ length: 60 }, () => prng.int(4));
      const probabilities = labels.map(() => {
        const raw = classes.map(() => prng.uniform(0, 1));
        const sum = raw.reduce((x, y) => x + y, 0);
        return raw.map((v) => v / sum);
      });
      const targets = labels.map((l) => l + prng.uniform(-1, 1));
      const preds = labels.map((l) => l + prng.uniform(-1, 1));
      const script = `
import json, sys
import numpy as np
from sklearn import metrics as M
d = json.load(sys.stdin)
y, p = np.array(d['labels']), np.array(d['probabilities'])
yp = p.argmax(1)
r = M.classification_report(y, yp, labels=[0, 1, 2, 3], output_dict=True, zero_division=0)
print(json.dumps({
  'cm': M.confusion_matrix(y, yp, labels=[0, 1, 2, 3]).tolist(),
  'acc': M.accuracy_score(y, yp),
  'f1': [r[str(i)]['f1-score'] for i in range(4)],
  'macro': r['macro avg']['precision'], 'weighted': r['weighted avg']['f1-score'],
  'top2': M.top_k_accuracy_score(y, p, k=2, labels=[0, 1, 2, 3]),
  'mse': M.mean_squared_error(d['t'], d['q']), 'mae': M.mean_absolute_error(d['t'], d['q']),
  'r2': M.r2_score(d['t'], d['q']),
}))`;
      const ref = JSON.parse(
        execFileSync(sklearn.get(), ['-c', script], {
          input: JSON.stringify({ labels, probabilities, t: targets, q: preds }),
        }).toString(),
      ) as SklearnReference;
      const m = classificationMetrics(classes, labels, probabilities);
      expect(m.confusion_matrix).toEqual(ref.cm);
      expect(m.accuracy).toBeCloseTo(ref.acc, 12);
      m.per_class.forEach((c, i) => expect(c.f1).toBeCloseTo(ref.f1[i]!, 12));
      expect(m.macro_avg.precision).toBeCloseTo(ref.macro, 12);
      expect(m.weighted_avg.f1).toBeCloseTo(ref.weighted, 12);
      expect(m.top_k_accuracy['2']).toBeCloseTo(ref.top2, 12);
      const r = regressionMetrics(targets, preds);
      expect(r.mse).toBeCloseTo(ref.mse, 12);
      expect(r.mae).toBeCloseTo(ref.mae, 12);
      expect(r.r2).toBeCloseTo(ref.r2, 12);
    },
  );
});

interface SklearnReference {
  readonly cm: number[][];
  readonly acc: number;
  readonly f1: number[];
  readonly macro: number;
  readonly weighted: number;
  readonly top2: number;
  readonly mse: number;
  readonly mae: number;
  readonly r2: number;
}
