import { useEffect, useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { formatBytes, plural } from '../../lib/format.js';
import { useDatasetStore, type SortBy, type SortOrder } from '../../stores/dataset-store.js';
import { selectImportBusy, useImportStore } from '../../stores/import-store.js';

const SORTS: readonly { value: `${SortBy}:${SortOrder}`; label: string }[] = [
  { value: 'filename:asc', label: 'Name, A → Z' },
  { value: 'filename:desc', label: 'Name, Z → A' },
  { value: 'class:asc', label: 'Class' },
  { value: 'size:desc', label: 'Largest first' },
  { value: 'size:asc', label: 'Smallest first' },
];

export function DatasetToolbar() {
  const info = useDatasetStore((s) => s.info);
  const query = useDatasetStore((s) => s.query);
  const total = useDatasetStore((s) => s.total);
  const setQuery = useDatasetStore((s) => s.setQuery);
  const clear = useDatasetStore((s) => s.clear);
  const importing = useImportStore(selectImportBusy);
  const [search, setSearch] = useState(query.search);
  const [confirming, setConfirming] = useState(false);

  // Debounced: one listing request per pause in typing, not per keystroke.
  useEffect(() => {
    if (search === query.search) return;
    const t = setTimeout(() => setQuery({ search }), 250);
    return () => clearTimeout(t);
  }, [search, query.search, setQuery]);

  if (info === null) return null;
  const filtered = query.search.trim() !== '' || query.filterClass !== null;

  return (
    <div className="toolbar" data-testid="dataset-toolbar">
      <div className="stats" data-testid="dataset-stats">
        <span>
          <strong data-testid="dataset-total">{info.total_items.toLocaleString('en-US')}</strong>{' '}
          {info.total_items === 1 ? 'item' : 'items'}
        </span>
        <span>
          <strong data-testid="dataset-class-count">{info.classes.length}</strong>{' '}
          {info.classes.length === 1 ? 'class' : 'classes'}
        </span>
        {info.unlabeled > 0 && (
          <span>{info.unlabeled.toLocaleString('en-US')} without a class</span>
        )}
        <span>{formatBytes(info.total_size)}</span>
        {filtered && (
          <span className="muted" data-testid="dataset-matching">
            {plural(total, 'match', 'matches')}
          </span>
        )}
      </div>
      <div className="toolbar-controls">
        <input
          type="search"
          className="input input-sm"
          placeholder="Search file names"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          aria-label="Search file names"
          data-testid="dataset-search"
        />
        <select
          className="input input-sm"
          value={query.filterClass ?? ''}
          onChange={(e) => setQuery({ filterClass: e.target.value === '' ? null : e.target.value })}
          aria-label="Filter by class"
          data-testid="dataset-class-filter"
        >
          <option value="">All classes</option>
          {info.class_counts.map((c) => (
            <option key={c.name} value={c.name}>
              {c.name} ({c.count})
            </option>
          ))}
        </select>
        <select
          className="input input-sm"
          value={`${query.sortBy}:${query.sortOrder}`}
          onChange={(e) => {
            const [sortBy, sortOrder] = e.target.value.split(':') as [SortBy, SortOrder];
            setQuery({ sortBy, sortOrder });
          }}
          aria-label="Sort"
          data-testid="dataset-sort"
        >
          {SORTS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-sm btn-ghost-danger"
          disabled={info.total_items === 0 || importing}
          onClick={() => setConfirming(true)}
          data-testid="dataset-clear"
        >
          Clear dataset
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title="Clear this dataset?"
          message={`All ${plural(info.total_items, 'item')} and their splits' assignments are removed from the project. The original files on disk are not touched.`}
          confirmLabel="Clear dataset"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void clear();
          }}
        />
      )}
    </div>
  );
}
