import { useState } from 'react';
import type { ItemInfo } from '../../../src-shared/contract/index.js';
import { useCurationStore } from '../../stores/curation-store.js';
import { useDatasetStore } from '../../stores/dataset-store.js';

/**
 * The open item's class, changed in place: pick one of the project's classes or type a new one.
 * An item imported without a class gets its first one here.
 */
export function ItemClassEditor({ info }: { readonly info: ItemInfo }) {
  const classes = useDatasetStore((s) => s.info?.classes ?? []);
  const relabel = useCurationStore((s) => s.relabel);
  const busy = useCurationStore((s) => s.busy);
  const [value, setValue] = useState(info.class ?? '');
  const changed = value.trim() !== (info.class ?? '');

  return (
    <form
      className="detail-class-form"
      key={info.filename}
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) void relabel([info.filename], value);
      }}
    >
      <input
        className="input"
        list="detail-classes"
        value={value}
        placeholder="no class"
        maxLength={100}
        aria-label="Class of this item"
        onChange={(e) => setValue(e.target.value)}
        data-testid="detail-class-input"
      />
      <datalist id="detail-classes">
        {classes.map((c) => (
          <option key={c} value={c} />
        ))}
      </datalist>
      <button
        type="submit"
        className="btn btn-sm btn-primary"
        disabled={busy || !changed}
        data-testid="detail-class-save"
      >
        Save
      </button>
    </form>
  );
}
