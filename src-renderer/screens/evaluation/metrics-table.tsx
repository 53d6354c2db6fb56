import type { z } from 'zod';
import type { ClassificationMetrics as Schema } from '../../../src-shared/contract/index.js';
import {
  evaluationSmallDataWarning,
  formatInterval,
  SMALL_CLASS,
  wilsonInterval,
} from '../../lib/small-data.js';

export type ClassificationMetrics = z.infer<typeof Schema>;

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const num = (v: number) => v.toFixed(3);

/** Accuracy, then scikit-learn's classification report: per class, macro and weighted averages. */
export function MetricsTable({ metrics }: { readonly metrics: ClassificationMetrics }) {
  const support = metrics.per_class.reduce((a, c) => a + c.support, 0);
  const correct = metrics.per_class.map((_, i) => metrics.confusion_matrix[i]?.[i] ?? 0);
  const allCorrect = Math.round(metrics.accuracy * metrics.count);
  const smallData = evaluationSmallDataWarning(metrics.per_class, correct);
  return (
    <div data-testid="eval-metrics">
      <p className="eval-accuracy">
        Accuracy <strong data-testid="eval-accuracy">{pct(metrics.accuracy)}</strong>
        <span className="muted"> on {metrics.count} items</span>
        <span className="muted" data-testid="eval-accuracy-interval">
          {' '}
          (95% interval {formatInterval(wilsonInterval(allCorrect, metrics.count))})
        </span>
        {Object.entries(metrics.top_k_accuracy)
          .filter(([k]) => k !== '1')
          .map(([k, v]) => (
            <span key={k} className="muted">
              {' '}
              · top-{k} {pct(v)}
            </span>
          ))}
      </p>
      {smallData !== null && (
        <p className="notice notice-warning" role="note" data-testid="eval-small-data">
          {smallData}
        </p>
      )}
      <table className="table eval-table">
        <thead>
          <tr>
            <th>Class</th>
            <th>Precision</th>
            <th>Recall</th>
            <th>F1</th>
            <th>Support</th>
          </tr>
        </thead>
        <tbody>
          {metrics.per_class.map((c) => (
            <tr key={c.class} data-testid="eval-class-row">
              <td>{c.class}</td>
              <td>{num(c.precision)}</td>
              <td>{num(c.recall)}</td>
              <td>{num(c.f1)}</td>
              <td className={c.support < SMALL_CLASS ? 'small-support' : undefined}>{c.support}</td>
            </tr>
          ))}
          {(
            [
              ['Macro avg', metrics.macro_avg],
              ['Weighted avg', metrics.weighted_avg],
            ] as const
          ).map(([label, avg]) => (
            <tr key={label} className="eval-avg-row">
              <td>{label}</td>
              <td>{num(avg.precision)}</td>
              <td>{num(avg.recall)}</td>
              <td>{num(avg.f1)}</td>
              <td>{support}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
