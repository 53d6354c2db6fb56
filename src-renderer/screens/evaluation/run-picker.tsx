import type { Experiment, Run } from '../../../src-shared/contract/index.js';

export type Checkpoint = 'best' | 'last';

/** A run can be evaluated or exported once it has saved a checkpoint. */
export function usableRuns(runs: readonly Run[]): readonly Run[] {
  return runs.filter((r) => r.checkpoints.best !== null || r.checkpoints.last !== null);
}

/** "baseline #2 (completed)": the run by its name; the id is only for scripts. */
export function runLabel(run: Run, _experiments: readonly Experiment[]): string {
  return `${run.name} (${run.status})`;
}

interface RunPickerProps {
  readonly runs: readonly Run[];
  readonly experiments: readonly Experiment[];
  readonly runId: string;
  readonly checkpoint: Checkpoint;
  readonly onRun: (runId: string) => void;
  readonly onCheckpoint: (c: Checkpoint) => void;
  /** Prefix of the controls' test ids, e.g. "eval" → eval-run-select. */
  readonly testPrefix: string;
}

/** The run and checkpoint controls the Evaluation and Export forms share. */
export function RunPicker(props: RunPickerProps) {
  const { runs, experiments, runId, checkpoint, onRun, onCheckpoint, testPrefix } = props;
  const run = runs.find((r) => r.run_id === runId);
  return (
    <>
      <label className="field">
        <span className="field-label">Run</span>
        <select
          className="input"
          value={runId}
          onChange={(e) => onRun(e.target.value)}
          data-testid={`${testPrefix}-run-select`}
        >
          {runs.map((r) => (
            <option key={r.run_id} value={r.run_id}>
              {runLabel(r, experiments)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Checkpoint</span>
        <select
          className="input"
          value={checkpoint}
          onChange={(e) => onCheckpoint(e.target.value === 'last' ? 'last' : 'best')}
          data-testid={`${testPrefix}-checkpoint-select`}
        >
          {(['best', 'last'] as const).map((c) => {
            const info = run?.checkpoints[c] ?? null;
            return (
              <option key={c} value={c} disabled={info === null}>
                {c === 'best' ? 'Best' : 'Last'}
                {info === null ? ' (none)' : ` (epoch ${info.epoch})`}
              </option>
            );
          })}
        </select>
      </label>
    </>
  );
}
