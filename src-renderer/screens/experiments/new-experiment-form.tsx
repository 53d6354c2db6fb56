import { useState, type FormEvent } from 'react';
import type { Architecture, SplitSummary, Task } from '../../../src-shared/contract/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { ARCHITECTURE_LABELS, architecturesFor } from '../../lib/experiment-draft.js';
import { splitLabel } from '../../../src-shared/format/metric-names.js';
import { useExperimentsStore } from '../../stores/experiments-store.js';
import { useNavStore } from '../../stores/nav-store.js';

interface NewExperimentFormProps {
  readonly projectId: string;
  readonly task: Task;
  readonly splits: readonly SplitSummary[];
}

/**
 * Name, split and architecture: enough for the server to resolve a full config with the task's
 * defaults, which the editor then shows for tuning. No default is written twice this way.
 */
export function NewExperimentForm({ projectId, task, splits }: NewExperimentFormProps) {
  const count = useExperimentsStore((s) => s.experiments.length);
  const creating = useExperimentsStore((s) => s.creating);
  const create = useExperimentsStore((s) => s.create);
  const go = useNavStore((s) => s.go);
  const architectures = architecturesFor(task);
  const [name, setName] = useState('');
  const [split, setSplit] = useState<string>('');
  const [architecture, setArchitecture] = useState<Architecture>(architectures[0] ?? 'small-cnn');
  const defaultName = `Experiment ${count + 1}`;
  // The newest split, unless the user picked one.
  const splitIndex = split === '' ? (splits.at(-1)?.split_index ?? null) : Number(split);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (splitIndex === null || creating) return;
    const created = await create({
      name: name.trim() || defaultName,
      split_index: splitIndex,
      architecture,
    });
    if (created !== null) {
      setName('');
      go('experiments', projectId, created.id);
    }
  }

  if (splits.length === 0) {
    return (
      <div className="card">
        <h2 className="card-title">New experiment</h2>
        <EmptyState title="No split yet" testId="experiments-no-split">
          <p>
            An experiment trains on a split&apos;s train subset and validates on its val subset.
          </p>
          <button type="button" className="btn btn-primary" onClick={() => go('splits', projectId)}>
            Go to Splits
          </button>
        </EmptyState>
      </div>
    );
  }

  return (
    <form
      className="card new-experiment"
      onSubmit={(e) => void onSubmit(e)}
      data-testid="new-experiment-form"
    >
      <h2 className="card-title">New experiment</h2>
      <label className="field">
        <span className="field-label">Name</span>
        <input
          className="input"
          value={name}
          placeholder={defaultName}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          data-testid="new-experiment-name"
        />
      </label>
      <label className="field">
        <span className="field-label">Split</span>
        <select
          className="input"
          value={splitIndex === null ? '' : String(splitIndex)}
          onChange={(e) => setSplit(e.target.value)}
          data-testid="new-experiment-split"
        >
          {splits.map((s) => (
            <option key={s.split_index} value={s.split_index}>
              {splitLabel(s.split_index, s.name)} ({s.stats.train} train / {s.stats.val} val)
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Architecture</span>
        <select
          className="input"
          value={architecture}
          onChange={(e) => setArchitecture(e.target.value as Architecture)}
          data-testid="new-experiment-architecture"
        >
          {architectures.map((a) => (
            <option key={a} value={a}>
              {ARCHITECTURE_LABELS[a]}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small">
        Starts from the task&apos;s defaults; every setting can be changed once it is created.
      </p>
      <button
        type="submit"
        className="btn btn-primary btn-block"
        disabled={creating || splitIndex === null}
        data-testid="create-experiment-button"
      >
        {creating ? 'Creating…' : 'Create experiment'}
      </button>
    </form>
  );
}
