import type { Run } from '../../../src-shared/contract/index.js';
import { formatPercent } from '../../lib/format.js';
import { formatBest, formatMetricValue } from '../../../src-shared/format/metric-names.js';
import {
  epochsDone,
  formatElapsed,
  formatWhen,
  isActive,
  runFraction,
} from '../../lib/run-state.js';
import { METRIC_SHORT_LABELS } from '../../lib/training-traces.js';
import { useNow } from '../../lib/use-now.js';
import { StatusBadge } from './status-badge.js';

interface RunsTableProps {
  readonly runs: readonly Run[];
  /** Experiment names by id; the column is shown only when given (the project-wide list). */
  readonly experimentNames?: ReadonlyMap<string, string>;
  readonly onOpen: (runId: string) => void;
  readonly testId?: string;
}

/** Runs newest first: status, how far each got, its best value and when it ran. */
export function RunsTable({
  runs,
  experimentNames,
  onOpen,
  testId = 'runs-table',
}: RunsTableProps) {
  const now = useNow(runs.some((r) => isActive(r.status)));
  return (
    <table className="table runs-table" data-testid={testId}>
      <thead>
        <tr>
          <th>Run</th>
          {experimentNames !== undefined && <th>Experiment</th>}
          <th>Status</th>
          <th className="num">Epochs</th>
          <th>Best</th>
          <th>Started</th>
          <th>Finished</th>
          <th className="num">Took</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((run) => {
          const best = run.metrics.best;
          return (
            <tr
              key={run.run_id}
              className="clickable"
              onClick={() => onOpen(run.run_id)}
              data-testid="run-row"
              data-run-id={run.run_id}
              data-status={run.status}
            >
              <td>
                <button
                  type="button"
                  className="link-button"
                  onClick={(e) => {
                    e.stopPropagation();
                    onOpen(run.run_id);
                  }}
                  title={run.run_id}
                  data-testid="run-row-name"
                >
                  {run.name}
                </button>
              </td>
              {experimentNames !== undefined && (
                <td>{experimentNames.get(run.experiment_id) ?? run.experiment_id}</td>
              )}
              <td>
                <StatusBadge status={run.status} testId="run-row-status" />
                {run.queue_position !== null && run.status === 'pending' && (
                  <span className="muted small"> #{run.queue_position} in queue</span>
                )}
              </td>
              <td className="num nowrap" data-testid="run-row-epochs">
                {epochsDone(run)} / {run.config.epochs}
                {run.status === 'running' && (
                  <div className="progress mini-progress" aria-hidden="true">
                    <div
                      className="progress-fill"
                      style={{ width: formatPercent(runFraction(run.progress, run.status) ?? 0) }}
                    />
                  </div>
                )}
              </td>
              <td>
                {best === null ? (
                  <span className="muted">—</span>
                ) : (
                  <span title={formatBest(best)} data-testid="run-row-best">
                    <span className="muted small">
                      {METRIC_SHORT_LABELS[best.metric] ?? best.metric}
                    </span>{' '}
                    <strong>{formatMetricValue(best.metric, best.value)}</strong>
                    <span className="muted small"> · epoch {best.epoch}</span>
                  </span>
                )}
              </td>
              <td className="nowrap">{formatWhen(run.started_at)}</td>
              <td className="nowrap">{formatWhen(run.finished_at)}</td>
              <td className="num nowrap">
                {isActive(run.status) || run.finished_at !== null
                  ? formatElapsed(run.started_at, run.finished_at, now)
                  : '—'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
