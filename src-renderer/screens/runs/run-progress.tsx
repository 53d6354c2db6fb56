import type { Run } from '../../../src-shared/contract/index.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatRemaining } from '../../lib/format.js';
import { epochsDone, formatRate, PHASE_LABELS, runFraction } from '../../lib/run-state.js';

function Stat({ label, value, testId }: { label: string; value: string; testId?: string }) {
  return (
    <div className="run-stat">
      <span className="run-stat-label">{label}</span>
      <span className="run-stat-value" data-testid={testId}>
        {value}
      </span>
    </div>
  );
}

/**
 * Where the run stands: a bar over all epochs, then one label per meaning — the epoch under way,
 * the step (batch) within that epoch, the time left for the whole run, and the speed.
 */
export function RunProgressCard({ run }: { readonly run: Run }) {
  const p = run.progress;
  const done = epochsDone(run);
  const total = p?.epochs ?? run.config.epochs;
  const live = run.status === 'running' && p !== null;
  // Before the first batch (features being prepared) no epoch is under way yet.
  const training = live && p.phase !== 'queued' && p.phase !== 'preparing';
  const fraction =
    run.status === 'pending'
      ? null
      : live
        ? runFraction(p, run.status)
        : run.status === 'completed'
          ? 1
          : total > 0
            ? done / total
            : 0;
  const phase =
    run.status === 'pending'
      ? run.queue_position !== null
        ? `Waiting in the queue (#${run.queue_position})`
        : 'Waiting to start'
      : live
        ? PHASE_LABELS[p.phase]
        : null;
  const remaining =
    live && p.eta_seconds !== null
      ? formatRemaining(p.eta_seconds * 1000)
      : run.status === 'completed'
        ? 'finished'
        : null;
  const lastRate = run.metrics.history.at(-1)?.samples_per_second ?? null;

  return (
    <section className="card run-progress" data-testid="run-progress" data-epochs-done={done}>
      <div className="run-progress-head">
        <h2 className="card-title">Progress</h2>
        {phase !== null && (
          <span className="muted small" data-testid="run-phase">
            {phase}
          </span>
        )}
      </div>
      <ProgressBar fraction={fraction} label="Training progress" testId="run-progress-bar" />
      <div className="run-stats">
        <Stat
          label="Epoch"
          // While training, the epoch being worked on; otherwise the epochs finished.
          value={`${training ? Math.max(p.epoch, 1) : done} / ${total}`}
          testId="run-epoch"
        />
        <Stat
          label="Step in this epoch"
          value={training && p.batches > 0 ? `${p.batch} / ${p.batches}` : '—'}
          testId="run-batch"
        />
        <Stat label="Time left (whole run)" value={remaining ?? '—'} testId="run-remaining" />
        <Stat
          label="Speed"
          value={formatRate(live ? p.samples_per_second : lastRate)}
          testId="run-speed"
        />
      </div>
    </section>
  );
}
