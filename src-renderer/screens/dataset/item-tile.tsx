import { memo } from 'react';
import { formatDuration } from '../../lib/format.js';
import { useCurationStore } from '../../stores/curation-store.js';
import { itemMediaUrl, selectItemAt, useDatasetStore } from '../../stores/dataset-store.js';

interface ItemTileProps {
  readonly projectId: string;
  readonly index: number;
}

const basename = (filename: string): string => filename.slice(filename.lastIndexOf('/') + 1);

/** One grid cell: a thumbnail (images), a waveform (audio) or a table glyph, with its name. */
export const ItemTile = memo(function ItemTile({ projectId, index }: ItemTileProps) {
  const item = useDatasetStore(selectItemAt(index));
  const selected = useDatasetStore((s) => item !== undefined && s.selected === item.filename);
  const select = useDatasetStore((s) => s.select);
  const picked = useCurationStore((s) => item !== undefined && s.picked.includes(item.filename));
  const click = useCurationStore((s) => s.click);

  if (item === undefined) return <div className="tile tile-placeholder" aria-hidden="true" />;

  return (
    <button
      type="button"
      className={`tile ${selected ? 'selected' : ''} ${picked ? 'picked' : ''} tile-${item.media_kind}`}
      onClick={(e) => {
        const mods = { shift: e.shiftKey, toggle: e.ctrlKey || e.metaKey };
        click(index, mods);
        // A plain click also opens the item; ctrl and shift only pick.
        if (!mods.shift && !mods.toggle) void select(selected ? null : item.filename);
      }}
      title={item.class === null ? item.filename : `${item.filename} · ${item.class}`}
      aria-pressed={selected || picked}
      data-picked={picked}
      data-testid="item-tile"
      data-filename={item.filename}
    >
      <div className="tile-media">
        {item.media_kind === 'table' ? (
          <div className="table-glyph">
            <svg viewBox="0 0 24 24" aria-hidden="true">
              <path d="M3 5h18v14H3zM3 10h18M3 15h18M9 5v14M15 5v14" />
            </svg>
            <span>
              {item.rows ?? '?'} × {item.columns ?? '?'}
            </span>
          </div>
        ) : (
          <img
            src={itemMediaUrl(projectId, item.filename, 'thumbnail')}
            alt={item.filename}
            loading="lazy"
            decoding="async"
            draggable={false}
            data-testid="item-thumb"
          />
        )}
        {item.media_kind === 'audio' && (
          <span className="tile-badge" data-testid="item-duration">
            {formatDuration(item.duration)}
          </span>
        )}
        {item.status === 'error' && <span className="tile-badge tile-badge-error">error</span>}
      </div>
      {/* The name first, whole width; the class on its own line below, so neither is cut. */}
      <div className="tile-caption">
        <span className="tile-name" data-testid="tile-name">
          {basename(item.filename)}
        </span>
        {item.class !== null ? (
          <span className="chip tile-class" data-testid="tile-class">
            {item.class}
          </span>
        ) : (
          <span className="tile-class muted small">no class</span>
        )}
      </div>
    </button>
  );
});
