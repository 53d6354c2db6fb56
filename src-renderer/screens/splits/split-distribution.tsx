import { useMemo } from 'react';
import type { ClassDistribution, SplitStats } from '../../../src-shared/contract/index.js';
import { PlotPanel } from '../../components/plot-panel.js';
import {
  distributionLayout,
  distributionTraces,
  SUBSET_COLORS,
  SUBSET_LABELS,
  UNLABELED,
} from '../../lib/split-traces.js';
import { splitSmallDataWarning } from '../../lib/small-data.js';

type Subset = keyof SplitStats;
const SUBSETS: readonly Subset[] = ['train', 'val', 'test', 'none'];

interface SplitDistributionProps {
  readonly stats: SplitStats;
  readonly perClass: readonly ClassDistribution[];
  /** Prefix for test ids, so preview and detail can be told apart. */
  readonly testId: string;
  /** False: the tiles and table only (another chart of the same split is on screen). */
  readonly chart?: boolean;
}

/** Subset totals, the per-class stacked bar chart, and the same numbers as a table. */
export function SplitDistribution({
  stats,
  perClass,
  testId,
  chart = true,
}: SplitDistributionProps) {
  const traces = useMemo(() => distributionTraces(perClass), [perClass]);
  const layout = useMemo(() => distributionLayout(perClass.length), [perClass.length]);
  const shown = SUBSETS.filter((s) => s !== 'none' || stats.none > 0);
  const total = stats.train + stats.val + stats.test + stats.none;
  const smallData = useMemo(() => splitSmallDataWarning(perClass), [perClass]);

  return (
    <div className="distribution" data-testid={testId}>
      <div className="stat-tiles">
        {shown.map((s) => (
          <div key={s} className="stat-tile" style={{ borderTopColor: SUBSET_COLORS[s] }}>
            <span className="stat-label">{SUBSET_LABELS[s]}</span>
            <span className="stat-value" data-testid={`${testId}-${s}`}>
              {stats[s].toLocaleString('en-US')}
            </span>
            <span className="stat-sub">
              {total > 0 ? `${((stats[s] / total) * 100).toFixed(1)}%` : '—'}
            </span>
          </div>
        ))}
      </div>
      {smallData !== null && (
        <p className="notice notice-warning" role="note" data-testid={`${testId}-small-data`}>
          {smallData}
        </p>
      )}
      {chart && (
        <PlotPanel
          traces={traces}
          layout={layout}
          testId={`${testId}-chart`}
          ariaLabel="Items per class and subset"
        />
      )}
      <table className="table table-compact" data-testid={`${testId}-table`}>
        <thead>
          <tr>
            <th>Class</th>
            {shown.map((s) => (
              <th key={s} className="num">
                {SUBSET_LABELS[s]}
              </th>
            ))}
            <th className="num">Total</th>
          </tr>
        </thead>
        <tbody>
          {perClass.map((c) => (
            <tr key={c.class} data-testid="class-row" data-class={c.class}>
              <td>{c.class || UNLABELED}</td>
              {shown.map((s) => (
                <td key={s} className="num" data-subset={s}>
                  {c[s]}
                </td>
              ))}
              <td className="num" data-subset="total">
                {c.train + c.val + c.test + c.none}
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td>All</td>
            {shown.map((s) => (
              <td key={s} className="num">
                {stats[s]}
              </td>
            ))}
            <td className="num">{total}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
