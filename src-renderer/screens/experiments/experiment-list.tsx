import type { Experiment, Run } from '../../../src-shared/contract/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { ARCHITECTURE_LABELS } from '../../lib/experiment-draft.js';
import { StatusBadge } from '../runs/status-badge.js';

interface ExperimentListProps {
  readonly experiments: readonly Experiment[];
  /** The project's runs (newest first), live: each row shows its experiment's latest. */
  readonly runs: readonly Run[];
  readonly selectedId: string | undefined;
  readonly onSelect: (expId: string) => void;
}

export function ExperimentList({ experiments, runs, selectedId, onSelect }: ExperimentListProps) {
  if (experiments.length === 0) {
    return (
      <EmptyState title="No experiments yet" testId="experiments-empty">
        Create one: it gets the task&apos;s default settings, which you can then tune.
      </EmptyState>
    );
  }
  return (
    <ul className="experiment-list" data-testid="experiment-list">
      {experiments.map((exp) => {
        const own = runs.filter((r) => r.experiment_id === exp.id);
        const latest = own[0];
        return (
          <li key={exp.id}>
            <button
              type="button"
              className={`experiment-item ${exp.id === selectedId ? 'selected' : ''}`}
              aria-current={exp.id === selectedId ? 'true' : undefined}
              onClick={() => onSelect(exp.id)}
              data-testid="experiment-item"
              data-experiment-id={exp.id}
            >
              <span className="experiment-name">{exp.name}</span>
              <span className="experiment-meta muted small">
                {ARCHITECTURE_LABELS[exp.config.architecture]} · {exp.config.epochs} epochs · split
                #{exp.split_index}
              </span>
              <span className="experiment-runs small">
                {latest === undefined ? (
                  <span className="muted">No runs</span>
                ) : (
                  <>
                    <StatusBadge status={latest.status} />
                    <span className="muted">
                      {own.length === 1 ? '1 run' : `${own.length} runs`}
                    </span>
                  </>
                )}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
