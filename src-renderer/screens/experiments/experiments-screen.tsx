import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState } from '../../components/empty-state.js';
import { useDevicesStore } from '../../stores/devices-store.js';
import { selectExperiment, useExperimentsStore } from '../../stores/experiments-store.js';
import { useNavStore } from '../../stores/nav-store.js';
import { selectProject, useProjectsStore } from '../../stores/projects-store.js';
import { useRunsStore } from '../../stores/runs-store.js';
import { useSplitsStore } from '../../stores/splits-store.js';
import { RunsTable } from '../runs/runs-table.js';
import { ExperimentEditor } from './experiment-editor.js';
import { ExperimentList } from './experiment-list.js';
import { NewExperimentForm } from './new-experiment-form.js';

/** Experiments of a project: the list, a form for a new one, and the open one's editor and runs. */
export function ExperimentsScreen({ projectId }: { readonly projectId: string }) {
  const project = useProjectsStore(selectProject(projectId));
  const selectedId = useNavStore((s) => s.detail);
  const go = useNavStore((s) => s.go);
  const openExperiments = useExperimentsStore((s) => s.open);
  const experiments = useExperimentsStore((s) => s.experiments);
  const status = useExperimentsStore((s) => s.status);
  const error = useExperimentsStore((s) => s.error);
  const remove = useExperimentsStore((s) => s.remove);
  const selected = useExperimentsStore(selectExperiment(selectedId));
  const openSplits = useSplitsStore((s) => s.open);
  const splits = useSplitsStore((s) => s.splits);
  const splitsStatus = useSplitsStore((s) => s.status);
  const devices = useDevicesStore((s) => s.devices);
  const loadDevices = useDevicesStore((s) => s.load);
  const openRuns = useRunsStore((s) => s.open);
  const leaveRuns = useRunsStore((s) => s.leave);
  const runs = useRunsStore((s) => s.runs);
  const busy = useRunsStore((s) => s.busy);
  const startRun = useRunsStore((s) => s.start);
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    void openExperiments(projectId);
    void openSplits(projectId);
    void openRuns(projectId);
    void loadDevices();
    return () => leaveRuns();
  }, [projectId, openExperiments, openSplits, openRuns, leaveRuns, loadDevices]);

  if (status === 'error') {
    return (
      <div className="screen">
        <EmptyState
          title="The experiments could not be loaded."
          tone="error"
          testId="experiments-error"
        >
          <p>{error}</p>
          <button type="button" className="btn" onClick={() => void openExperiments(projectId)}>
            Try again
          </button>
        </EmptyState>
      </div>
    );
  }

  const ownRuns = selected === undefined ? [] : runs.filter((r) => r.experiment_id === selected.id);
  return (
    <div className="screen experiments-screen" data-testid="experiments-screen">
      <div className="experiments-layout">
        <div className="experiments-side">
          {project !== undefined && splitsStatus !== 'loading' && splitsStatus !== 'idle' && (
            <NewExperimentForm projectId={projectId} task={project.task} splits={splits} />
          )}
          <section className="card">
            <h2 className="card-title">
              Experiments <span className="count">{experiments.length}</span>
            </h2>
            {status === 'ready' ? (
              <ExperimentList
                experiments={experiments}
                runs={runs}
                selectedId={selectedId}
                onSelect={(id) => go('experiments', projectId, id)}
              />
            ) : (
              <p className="muted pad">Loading…</p>
            )}
          </section>
        </div>
        <div className="experiments-main">
          {selected === undefined || project === undefined ? (
            status === 'ready' && (
              <EmptyState
                title={selectedId === undefined ? 'No experiment open' : 'This experiment is gone'}
                testId="experiment-none"
              >
                {experiments.length > 0
                  ? 'Pick one from the list to see its settings and runs.'
                  : 'Create the first one with the form on the left.'}
              </EmptyState>
            )
          ) : (
            <>
              <div
                className="detail-head"
                data-testid="experiment-detail"
                data-experiment-id={selected.id}
              >
                <h2 className="detail-title" data-testid="experiment-title">
                  {selected.name}
                </h2>
                <span className="muted small mono">{selected.id}</span>
                <button
                  type="button"
                  className="btn btn-sm btn-ghost-danger"
                  onClick={() => setConfirmDelete(true)}
                  data-testid="experiment-delete"
                >
                  Delete
                </button>
              </div>
              <ExperimentEditor
                // A saved change comes back resolved: start the form from it again.
                key={`${selected.id}@${selected.updated_at}`}
                experiment={selected}
                task={project.task}
                splits={splits}
                devices={devices}
                starting={busy[selected.id] === 'starting'}
                onStartRun={async () => {
                  const runId = await startRun(projectId, selected.id);
                  if (runId !== null) go('runs', projectId, runId);
                }}
              />
              <section className="card" data-testid="experiment-runs">
                <h2 className="card-title">
                  Runs <span className="count">{ownRuns.length}</span>
                </h2>
                {ownRuns.length === 0 ? (
                  <EmptyState title="No runs yet" testId="experiment-runs-empty">
                    Start one with the button above; you can watch it train live.
                  </EmptyState>
                ) : (
                  <RunsTable runs={ownRuns} onOpen={(id) => go('runs', projectId, id)} />
                )}
              </section>
            </>
          )}
        </div>
      </div>
      {confirmDelete && selected !== undefined && (
        <ConfirmDialog
          title={`Delete "${selected.name}"?`}
          message="The experiment and all its runs, checkpoints and metrics are removed."
          confirmLabel="Delete experiment"
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => {
            setConfirmDelete(false);
            void remove(selected.id).then((ok) => {
              if (ok) {
                go('experiments', projectId);
                void openRuns(projectId);
              }
            });
          }}
        />
      )}
    </div>
  );
}
