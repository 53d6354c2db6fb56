import { useState, type FormEvent } from 'react';
import type { Run } from '../../../src-shared/contract/index.js';
import { useRunsStore } from '../../stores/runs-store.js';

/** The run's name, renamed in place; the id stays beside it for scripts. */
export function RunTitle({ run }: { readonly run: Run }) {
  const rename = useRunsStore((s) => s.rename);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(run.name);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (await rename(run.run_id, name)) setEditing(false);
  }

  if (editing) {
    return (
      <form className="inline-form" onSubmit={(e) => void onSubmit(e)}>
        <input
          className="input"
          value={name}
          maxLength={200}
          autoFocus
          aria-label="Run name (blank: its default name)"
          onChange={(e) => setName(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
          data-testid="run-rename-input"
        />
        <button type="submit" className="btn btn-sm btn-primary" data-testid="run-rename-save">
          Save
        </button>
        <button type="button" className="btn btn-sm" onClick={() => setEditing(false)}>
          Cancel
        </button>
      </form>
    );
  }
  return (
    <>
      <h2 className="detail-title" data-testid="run-title" title={run.run_id}>
        {run.name}
      </h2>
      <span className="muted small mono" data-testid="run-id">
        {run.run_id}
      </span>
      <button
        type="button"
        className="link-button small"
        onClick={() => {
          setName(run.renamed ? run.name : '');
          setEditing(true);
        }}
        data-testid="run-rename"
      >
        Rename
      </button>
    </>
  );
}
