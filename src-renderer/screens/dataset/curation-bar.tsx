import { useState } from 'react';
import { plural } from '../../lib/format.js';
import { useCurationStore } from '../../stores/curation-store.js';
import { useDatasetStore } from '../../stores/dataset-store.js';

const UNDO_LABELS = { relabel: 'class change', delete: 'delete' } as const;

/**
 * Acts on the items picked in the grid (ctrl/⌘-click, shift-click): move them to a class (a new
 * one or an existing one), take their class away, delete them; and undo the last change.
 */
export function CurationBar() {
  const picked = useCurationStore((s) => s.picked);
  const last = useCurationStore((s) => s.lastChange);
  const busy = useCurationStore((s) => s.busy);
  const relabel = useCurationStore((s) => s.relabel);
  const remove = useCurationStore((s) => s.remove);
  const undo = useCurationStore((s) => s.undo);
  const clearPicks = useCurationStore((s) => s.clearPicks);
  const classes = useDatasetStore((s) => s.info?.classes ?? []);
  const [className, setClassName] = useState('');

  if (picked.length === 0 && last === null) return null;
  return (
    <div className="curation-bar" data-testid="curation-bar" data-picked={picked.length}>
      {picked.length > 0 && (
        <>
          <strong data-testid="curate-count">{plural(picked.length, 'item')} picked</strong>
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              if (className.trim() !== '')
                void relabel(picked, className).then((ok) => ok && setClassName(''));
            }}
          >
            <input
              className="input"
              list="curate-classes"
              placeholder="Class…"
              aria-label="Class for the picked items"
              value={className}
              maxLength={100}
              onChange={(e) => setClassName(e.target.value)}
              data-testid="curate-class-input"
            />
            <datalist id="curate-classes">
              {classes.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <button
              type="submit"
              className="btn btn-sm btn-primary"
              disabled={busy || className.trim() === ''}
              data-testid="curate-apply"
            >
              Set class
            </button>
          </form>
          <button
            type="button"
            className="btn btn-sm"
            disabled={busy}
            onClick={() => void relabel(picked, null)}
            data-testid="curate-unlabel"
          >
            Remove class
          </button>
          <button
            type="button"
            className="btn btn-sm btn-ghost-danger"
            disabled={busy}
            onClick={() => void remove(picked)}
            data-testid="curate-delete"
          >
            Delete
          </button>
          <button type="button" className="link-button small" onClick={clearPicks}>
            Clear selection
          </button>
        </>
      )}
      {last !== null && (
        <button
          type="button"
          className="btn btn-sm curation-undo"
          disabled={busy}
          onClick={() => void undo()}
          title={
            last.runs_using > 0
              ? 'Finished runs keep the labels they trained on either way'
              : undefined
          }
          data-testid="curate-undo"
        >
          Undo {UNDO_LABELS[last.kind]} ({plural(last.item_count, 'item')})
        </button>
      )}
    </div>
  );
}
