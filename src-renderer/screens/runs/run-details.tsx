import type { Run, Task } from '../../../src-shared/contract/index.js';
import { configSummary } from '../../lib/config-summary.js';
import { formatDuration } from '../../lib/format.js';
import { formatMetricValue, metricPhrase } from '../../../src-shared/format/metric-names.js';
import { formatMetric, formatRate } from '../../lib/run-state.js';
import { curveMetricFor, METRIC_LABELS, metricValue } from '../../lib/training-traces.js';

type Checkpoint = Run['checkpoints']['best'];

function CheckpointTile({
  title,
  checkpoint,
  testId,
}: {
  title: string;
  checkpoint: Checkpoint;
  testId: string;
}) {
  return (
    <div className="checkpoint" data-testid={testId}>
      <span className="stat-label">{title}</span>
      {checkpoint === null ? (
        <span className="muted">none yet</span>
      ) : (
        <>
          <span className="checkpoint-epoch" data-testid={`${testId}-epoch`}>
            epoch {checkpoint.epoch}
          </span>
          <span className="muted small" data-testid={`${testId}-metric`}>
            {metricPhrase(checkpoint.metric)}{' '}
            {formatMetricValue(checkpoint.metric, checkpoint.value)}
          </span>
        </>
      )}
    </div>
  );
}

/** Best and last checkpoints: what an export or a resume would use. */
export function CheckpointsCard({ run }: { readonly run: Run }) {
  return (
    <section className="card" data-testid="run-checkpoints">
      <h2 className="card-title">Checkpoints</h2>
      <div className="checkpoints">
        <CheckpointTile title="Best" checkpoint={run.checkpoints.best} testId="checkpoint-best" />
        <CheckpointTile title="Last" checkpoint={run.checkpoints.last} testId="checkpoint-last" />
      </div>
      <p className="muted small checkpoint-note">
        Both are written after every epoch; a resume continues from the last.
      </p>
    </section>
  );
}

export function ConfigCard({ run, task }: { readonly run: Run; readonly task: Task }) {
  const rows = configSummary(run.config, task, { backend: run.backend, device: run.device });
  return (
    <section className="card" data-testid="run-config">
      <h2 className="card-title">Configuration</h2>
      <dl className="summary-list">
        {rows.map((r) => (
          <div key={r.label} className="summary-row">
            <dt>{r.label}</dt>
            <dd>{r.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Every finished epoch's numbers, newest first. */
export function EpochTable({ run, task }: { readonly run: Run; readonly task: Task }) {
  const metric = curveMetricFor(task);
  const rows = [...run.metrics.history].sort((a, b) => b.epoch - a.epoch);
  const bestEpoch = run.checkpoints.best?.epoch ?? run.metrics.best?.epoch;
  if (rows.length === 0) return null;
  const cols = ['loss', 'val_loss', metric, `val_${metric}`];
  return (
    <section className="card" data-testid="run-epochs">
      <h2 className="card-title">
        Epochs <span className="count">{rows.length}</span>
      </h2>
      <div className="epoch-table-wrap">
        <table className="table table-compact">
          <thead>
            <tr>
              <th className="num">Epoch</th>
              {cols.map((c) => (
                <th key={c} className="num">
                  {METRIC_LABELS[c] ?? c}
                </th>
              ))}
              <th className="num">Learning rate</th>
              <th className="num">Time</th>
              <th className="num">Speed</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((h) => (
              <tr
                key={h.epoch}
                className={h.epoch === bestEpoch ? 'best-row' : undefined}
                data-testid="epoch-row"
              >
                <td className="num">
                  {h.epoch}
                  {h.epoch === bestEpoch && <span className="best-mark"> best</span>}
                </td>
                {cols.map((c) => (
                  <td key={c} className="num">
                    {formatMetric(c, metricValue(h, c))}
                  </td>
                ))}
                <td className="num mono">{Number(h.lr.toPrecision(3))}</td>
                <td className="num">
                  {h.duration_seconds < 60
                    ? `${h.duration_seconds.toFixed(1)} s`
                    : formatDuration(h.duration_seconds)}
                </td>
                <td className="num">{formatRate(h.samples_per_second)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
