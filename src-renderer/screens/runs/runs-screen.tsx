import { useEffect, useMemo, useState } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { useExperimentsStore } from '../../stores/experiments-store.js';
import { useNavStore } from '../../stores/nav-store.js';
import { selectProject, useProjectsStore } from '../../stores/projects-store.js';
import { useRunsStore } from '../../stores/runs-store.js';
import { RunView } from './run-view.js';
import { RunsTable } from './runs-table.js';

/** The project's runs (all experiments), or one run when the route names it. */
export function RunsScreen({ projectId }: { readonly projectId: string }) {
  const project = useProjectsStore(selectProject(projectId));
  const runId = useNavStore((s) => s.detail);
  const go = useNavStore((s) => s.go);
  const open = useRunsStore((s) => s.open);
  const leave = useRunsStore((s) => s.leave);
  const runs = useRunsStore((s) => s.runs);
  const status = useRunsStore((s) => s.status);
  const error = useRunsStore((s) => s.error);
  const openExperiments = useExperimentsStore((s) => s.open);
  const experiments = useExperimentsStore((s) => s.experiments);
  const [filter, setFilter] = useState('');

  useEffect(() => {
    void open(projectId);
    void openExperiments(projectId);
    return () => leave();
  }, [projectId, open, openExperiments, leave]);

  const names = useMemo(() => new Map(experiments.map((e) => [e.id, e.name])), [experiments]);
  const shown = filter === '' ? runs : runs.filter((r) => r.experiment_id === filter);

  if (runId !== undefined) {
    return (
      <div className="screen runs-screen" data-testid="runs-screen">
        {project === undefined ? (
          <p className="muted pad">Loading…</p>
        ) : (
          <RunView key={runId} projectId={projectId} runId={runId} task={project.task} />
        )}
      </div>
    );
  }

  return (
    <div className="screen runs-screen" data-testid="runs-screen">
      <section className="card">
        <div className="card-head">
          <h2 className="card-title">
            Runs <span className="count">{shown.length}</span>
          </h2>
          {experiments.length > 1 && (
            <select
              className="input input-sm runs-filter"
              value={filter}
              onChange={(e) => setFilter(e.target.value)}
              aria-label="Experiment"
              data-testid="runs-experiment-filter"
            >
              <option value="">All experiments</option>
              {experiments.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </select>
          )}
        </div>
        {status === 'error' ? (
          <EmptyState title="The runs could not be loaded." tone="error" testId="runs-error">
            <p>{error}</p>
            <button type="button" className="btn" onClick={() => void open(projectId)}>
              Try again
            </button>
          </EmptyState>
        ) : status !== 'ready' ? (
          <p className="muted pad">Loading…</p>
        ) : shown.length === 0 ? (
          <EmptyState title="No runs yet" testId="runs-empty">
            <p>Runs are started from an experiment, and show their curves here while they train.</p>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => go('experiments', projectId)}
            >
              Go to Experiments
            </button>
          </EmptyState>
        ) : (
          <RunsTable
            runs={shown}
            experimentNames={names}
            onOpen={(id) => go('runs', projectId, id)}
          />
        )}
      </section>
    </div>
  );
}
