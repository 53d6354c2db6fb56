import { useEffect, useState } from 'react';
import type { Task } from '../../../src-shared/contract/index.js';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState } from '../../components/empty-state.js';
import { canResume, canStop, formatWhen, isActive } from '../../lib/run-state.js';
import { selectExperiment, useExperimentsStore } from '../../stores/experiments-store.js';
import { useNavStore } from '../../stores/nav-store.js';
import { useRunsStore } from '../../stores/runs-store.js';
import { RunCharts } from './run-charts.js';
import { CheckpointsCard, ConfigCard, EpochTable } from './run-details.js';
import { RunProgressCard } from './run-progress.js';
import { RunTitle } from './run-title.js';
import { StatusBadge } from './status-badge.js';
import { TryItPanel } from './try-it-panel.js';

interface RunViewProps {
  readonly projectId: string;
  readonly runId: string;
  readonly task: Task;
}

/** One run, live: status and controls, progress, curves, checkpoints, settings, epochs, log. */
export function RunView({ projectId, runId, task }: RunViewProps) {
  const openRun = useRunsStore((s) => s.openRun);
  const run = useRunsStore((s) => (s.runId === runId ? s.run : null));
  const runStatus = useRunsStore((s) => s.runStatus);
  const runError = useRunsStore((s) => s.runError);
  const logs = useRunsStore((s) => s.logs);
  const action = useRunsStore((s) => s.busy[runId]);
  const stop = useRunsStore((s) => s.stop);
  const resume = useRunsStore((s) => s.resume);
  const remove = useRunsStore((s) => s.remove);
  const experiment = useExperimentsStore(selectExperiment(run?.experiment_id));
  const go = useNavStore((s) => s.go);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    void openRun(projectId, runId);
  }, [openRun, projectId, runId]);

  if (runStatus === 'error') {
    return (
      <EmptyState title="This run could not be loaded." tone="error" testId="run-error">
        <p>{runError}</p>
        <button type="button" className="btn" onClick={() => go('runs', projectId)}>
          All runs
        </button>
      </EmptyState>
    );
  }
  if (run === null) return <p className="muted pad">Loading…</p>;

  const tone =
    run.status === 'failed' ? 'error' : run.status === 'completed' ? 'success' : 'neutral';
  return (
    <div
      className="run-view"
      data-testid="run-view"
      data-run-id={run.run_id}
      data-status={run.status}
    >
      <div className="detail-head run-head">
        <button type="button" className="link-button" onClick={() => go('runs', projectId)}>
          ← All runs
        </button>
        <RunTitle run={run} />
        <StatusBadge status={run.status} testId="run-status" />
        {experiment !== undefined && (
          <button
            type="button"
            className="link-button"
            onClick={() => go('experiments', projectId, experiment.id)}
            data-testid="run-experiment-link"
          >
            {experiment.name}
          </button>
        )}
        <span className="muted small">
          started {formatWhen(run.started_at)}
          {run.finished_at !== null && ` · ended ${formatWhen(run.finished_at)}`}
        </span>
        <div className="run-actions">
          <button
            type="button"
            className="btn"
            disabled={!canStop(run.status) || action !== undefined}
            onClick={() => void stop(run.run_id)}
            data-testid="run-stop"
          >
            {action === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!canResume(run.status) || action !== undefined}
            onClick={() => void resume(run.run_id)}
            data-testid="run-resume"
          >
            {action === 'resuming' ? 'Resuming…' : 'Resume'}
          </button>
          <button
            type="button"
            className="btn btn-ghost-danger"
            disabled={isActive(run.status) || action !== undefined}
            title={isActive(run.status) ? 'Stop the run first' : undefined}
            onClick={() => setConfirmDelete(true)}
            data-testid="run-delete"
          >
            Delete
          </button>
        </div>
      </div>
      {run.message !== null && (
        <div className={`run-message run-message-${tone}`} data-testid="run-message" role="status">
          {run.message}
        </div>
      )}
      {run.status === 'completed' && (
        <div className="next-steps" data-testid="run-next-steps">
          <span className="muted small">Next:</span>
          <button
            type="button"
            className="btn btn-primary btn-sm"
            onClick={() => go('evaluation', projectId, run.run_id)}
            data-testid="run-next-evaluate"
          >
            Evaluate
          </button>
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => go('export', projectId, run.run_id)}
            data-testid="run-next-export"
          >
            Export
          </button>
          <button
            type="button"
            className="btn btn-sm"
            // A link's hash would be read as a route: scroll to the panel instead.
            onClick={() =>
              document.getElementById('run-try-it')?.scrollIntoView({ behavior: 'smooth' })
            }
            data-testid="run-next-try"
          >
            Try it
          </button>
        </div>
      )}
      {run.status === 'completed' && (
        <div id="run-try-it">
          <TryItPanel projectId={projectId} runId={run.run_id} task={task} />
        </div>
      )}
      <RunProgressCard run={run} />
      <RunCharts run={run} task={task} />
      <div className="run-info">
        <CheckpointsCard run={run} />
        <ConfigCard run={run} task={task} />
      </div>
      <EpochTable run={run} task={task} />
      {logs.length > 0 && (
        <section className="card" data-testid="run-log">
          <h2 className="card-title">Log</h2>
          <ol className="run-log">
            {logs.map((l, i) => (
              <li key={i} className={`log-${l.level}`}>
                <span className="muted mono">{new Date(l.at).toLocaleTimeString('en-GB')}</span>{' '}
                {l.message}
              </li>
            ))}
          </ol>
        </section>
      )}
      {confirmDelete && (
        <ConfirmDialog
          title={`Delete ${run.name}?`}
          message="Its checkpoints and metrics are removed. The experiment stays."
          confirmLabel="Delete run"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            void remove(run.run_id).then((ok) => ok && go('runs', projectId));
          }}
        />
      )}
    </div>
  );
}
