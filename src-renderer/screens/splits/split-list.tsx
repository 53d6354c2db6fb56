import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { EmptyState } from '../../components/empty-state.js';
import { useSplitsStore } from '../../stores/splits-store.js';

const pct = (r: number): string => `${Math.round(r * 100)}`;

export function SplitList() {
  const splits = useSplitsStore((s) => s.splits);
  const status = useSplitsStore((s) => s.status);
  const selectedIndex = useSplitsStore((s) => s.selectedIndex);
  const select = useSplitsStore((s) => s.select);
  const remove = useSplitsStore((s) => s.remove);
  const [confirm, setConfirm] = useState<number | null>(null);

  if (status === 'ready' && splits.length === 0) {
    return (
      <EmptyState title="No splits yet" testId="splits-empty">
        Set the ratios above, check the preview, and create one. The same seed always gives the same
        split.
      </EmptyState>
    );
  }
  const pending = splits.find((s) => s.split_index === confirm);

  return (
    <>
      <table className="table" data-testid="split-list">
        <thead>
          <tr>
            <th className="num">#</th>
            <th>Name</th>
            <th>Ratios</th>
            <th className="num">Seed</th>
            <th>Stratified</th>
            <th className="num">Train</th>
            <th className="num">Val</th>
            <th className="num">Test</th>
            <th>
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {splits.map((s) => (
            <tr
              key={s.split_index}
              className={`clickable ${selectedIndex === s.split_index ? 'selected' : ''}`}
              onClick={() => void select(s.split_index)}
              data-testid="split-row"
              data-split-index={s.split_index}
            >
              <td className="num muted" data-testid="split-number">
                {s.split_index + 1}
              </td>
              <td>{s.name}</td>
              <td className="mono">
                {pct(s.ratios.train)}/{pct(s.ratios.val)}/{pct(s.ratios.test)}
              </td>
              <td className="num mono">{s.seed}</td>
              <td>{s.stratify ? 'yes' : 'no'}</td>
              <td className="num">{s.stats.train}</td>
              <td className="num">{s.stats.val}</td>
              <td className="num">{s.stats.test}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="btn btn-sm btn-ghost-danger"
                  onClick={(e) => {
                    e.stopPropagation();
                    setConfirm(s.split_index);
                  }}
                  data-testid="split-delete"
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {pending !== undefined && (
        <ConfirmDialog
          title={`Delete "${pending.name}"?`}
          message="The split's assignments are removed; later splits move up one place. The items themselves stay."
          confirmLabel="Delete split"
          onCancel={() => setConfirm(null)}
          onConfirm={() => {
            setConfirm(null);
            void remove(pending.split_index);
          }}
        />
      )}
    </>
  );
}
