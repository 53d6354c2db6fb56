import type { Evaluation } from '../../../src-shared/contract/index.js';
import { useEvaluationStore } from '../../stores/evaluation-store.js';
import { useRunsStore } from '../../stores/runs-store.js';

function accuracy(ev: Evaluation): string {
  const m = ev.metrics;
  if (m === null) return '—';
  return 'accuracy' in m ? `${(m.accuracy * 100).toFixed(1)}%` : `RMSE ${m.rmse.toFixed(3)}`;
}

/** The project's evaluations; the selected one is reported below. */
export function EvaluationList() {
  const evaluations = useEvaluationStore((s) => s.evaluations);
  const selectedId = useEvaluationStore((s) => s.selectedId);
  const select = useEvaluationStore((s) => s.select);
  const remove = useEvaluationStore((s) => s.remove);
  const runs = useRunsStore((s) => s.runs);
  if (evaluations.length === 0) return null;
  return (
    <section className="card">
      <h2 className="card-title">
        Evaluations <span className="count">{evaluations.length}</span>
      </h2>
      <table className="table">
        <thead>
          <tr>
            <th>Evaluation</th>
            <th>Run</th>
            <th>Checkpoint</th>
            <th>Subset</th>
            <th>Status</th>
            <th>Result</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {evaluations.map((ev) => (
            <tr
              key={ev.eval_id}
              className={ev.eval_id === selectedId ? 'row-selected' : undefined}
              data-testid="eval-row"
              data-status={ev.status}
            >
              <td>
                <button type="button" className="link-button" onClick={() => select(ev.eval_id)}>
                  {ev.eval_id}
                </button>
              </td>
              <td title={ev.run_id} data-testid="eval-row-run">
                {runs.find((r) => r.run_id === ev.run_id)?.name ?? ev.run_id}
              </td>
              <td>{ev.checkpoint}</td>
              <td>{ev.split_subset}</td>
              <td>{ev.status}</td>
              <td>{accuracy(ev)}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="btn btn-sm btn-ghost-danger"
                  disabled={ev.status === 'pending' || ev.status === 'running'}
                  onClick={() => void remove(ev.eval_id)}
                  data-testid="eval-delete"
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
