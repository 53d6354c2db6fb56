import { useEffect, useMemo, useState } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { useEvaluationStore } from '../../stores/evaluation-store.js';
import { useExperimentsStore } from '../../stores/experiments-store.js';
import { useNavStore } from '../../stores/nav-store.js';
import { useRunsStore } from '../../stores/runs-store.js';
import { EvaluationList } from './evaluation-list.js';
import { EvaluationView } from './evaluation-view.js';
import { RunPicker, usableRuns, type Checkpoint } from './run-picker.js';

const SUBSETS = ['test', 'val', 'train'] as const;
type Subset = (typeof SUBSETS)[number];
const toSubset = (v: string): Subset => SUBSETS.find((s) => s === v) ?? 'test';

/** Evaluate a run's checkpoint on a split subset; the chosen evaluation's report below. */
export function EvaluationScreen({ projectId }: { readonly projectId: string }) {
  const openRuns = useRunsStore((s) => s.open);
  const leaveRuns = useRunsStore((s) => s.leave);
  const allRuns = useRunsStore((s) => s.runs);
  const runsStatus = useRunsStore((s) => s.status);
  const openExperiments = useExperimentsStore((s) => s.open);
  const experiments = useExperimentsStore((s) => s.experiments);
  const open = useEvaluationStore((s) => s.open);
  const leave = useEvaluationStore((s) => s.leave);
  const start = useEvaluationStore((s) => s.start);
  const starting = useEvaluationStore((s) => s.starting);
  const status = useEvaluationStore((s) => s.status);
  const error = useEvaluationStore((s) => s.error);
  // A run's "Evaluate" button opens this screen with that run chosen.
  const chosen = useNavStore((s) => s.detail);
  const go = useNavStore((s) => s.go);
  const [runId, setRunId] = useState(chosen ?? '');
  const [checkpoint, setCheckpoint] = useState<Checkpoint>('best');
  const [subset, setSubset] = useState<Subset>('test');

  useEffect(() => {
    void open(projectId);
    void openRuns(projectId);
    void openExperiments(projectId);
    return () => {
      leave();
      leaveRuns();
    };
  }, [projectId, open, openRuns, openExperiments, leave, leaveRuns]);

  const runs = useMemo(() => usableRuns(allRuns), [allRuns]);
  const run = runs.find((r) => r.run_id === runId) ?? runs[0];
  const ckpt = run !== undefined && run.checkpoints[checkpoint] === null ? 'last' : checkpoint;

  if (status === 'error') {
    return (
      <EmptyState title="Evaluations could not be loaded" tone="error">
        {error}
      </EmptyState>
    );
  }

  return (
    <div className="screen evaluation-screen" data-testid="evaluation-screen">
      <section className="card">
        <h2 className="card-title">Evaluate a run</h2>
        {run === undefined && runsStatus !== 'ready' ? (
          <p className="muted">Loading runs…</p>
        ) : run === undefined ? (
          <div className="next-step" data-testid="eval-no-runs">
            <p className="muted">
              No run has a checkpoint yet. Runs start on the Experiments screen: open an experiment
              and press Start.
            </p>
            <button
              type="button"
              className="btn btn-primary"
              onClick={() => go('experiments', projectId)}
              data-testid="eval-go-experiments"
            >
              Go to Experiments
            </button>
          </div>
        ) : (
          <form
            className="form-row eval-form"
            onSubmit={(e) => {
              e.preventDefault();
              void start({
                experiment_id: run.experiment_id,
                run_id: run.run_id,
                checkpoint: ckpt,
                split_subset: subset,
              });
            }}
          >
            <RunPicker
              runs={runs}
              experiments={experiments}
              runId={run.run_id}
              checkpoint={ckpt}
              onRun={setRunId}
              onCheckpoint={setCheckpoint}
              testPrefix="eval"
            />
            <label className="field">
              <span className="field-label">Split subset</span>
              <select
                className="input"
                value={subset}
                onChange={(e) => setSubset(toSubset(e.target.value))}
                data-testid="eval-subset-select"
              >
                <option value="test">Test</option>
                <option value="val">Validation</option>
                <option value="train">Train</option>
              </select>
            </label>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={starting}
              data-testid="eval-start-button"
            >
              {starting ? 'Starting…' : 'Evaluate'}
            </button>
          </form>
        )}
      </section>
      <EvaluationList />
      <EvaluationView projectId={projectId} />
    </div>
  );
}
