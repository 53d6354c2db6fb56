import { memo } from 'react';
import { formatDuration } from '../../lib/format.js';
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

  if (item === undefined) return <div className="tile tile-placeholder" aria-hidden="true" />;

  return (
    <button
      type="button"
      className={`tile ${selected ? 'selected' : ''} tile-${item.media_kind}`}
      onClick={() => void select(selected ? null : item.filename)}
      title={item.filename}
      aria-pressed={selected}
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
      <div className="tile-caption">
        <span className="tile-name">{basename(item.filename)}</span>
        {item.class !== null && <span className="chip">{item.class}</span>}
      </div>
    </button>
  );
});
