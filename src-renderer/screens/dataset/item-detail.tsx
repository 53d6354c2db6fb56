import type { ReactNode } from 'react';
import type { ItemInfo } from '../../../src-shared/contract/index.js';
import { WaveformView } from '../../components/waveform-view.js';
import { formatBytes, formatDuration } from '../../lib/format.js';
import { SUBSET_COLORS, SUBSET_LABELS } from '../../lib/split-traces.js';
import { itemMediaUrl, useDatasetStore } from '../../stores/dataset-store.js';
import { ItemClassEditor } from './item-class-editor.js';
import { useDetailKeys } from './use-detail-keys.js';

function Row({ label, children }: { readonly label: string; readonly children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function Media({ projectId, info }: { readonly projectId: string; readonly info: ItemInfo }) {
  const url = itemMediaUrl(projectId, info.filename, 'file');
  switch (info.media_kind) {
    case 'image':
      return (
        <div className="detail-media">
          <img src={url} alt={info.filename} data-testid="detail-image" />
        </div>
      );
    case 'audio':
      return (
        <div className="detail-media detail-audio">
          {info.waveform !== null ? (
            <WaveformView peaks={info.waveform} />
          ) : (
            <img src={itemMediaUrl(projectId, info.filename, 'thumbnail')} alt="Waveform" />
          )}
          <audio controls preload="metadata" src={url} data-testid="detail-audio" />
        </div>
      );
    case 'table':
      return (
        <div className="detail-media detail-table">
          {info.rows ?? '?'} rows × {info.columns ?? '?'} columns
        </div>
      );
  }
}

export function ItemDetail({ projectId }: { readonly projectId: string }) {
  const selected = useDatasetStore((s) => s.selected);
  const info = useDatasetStore((s) => s.selectedInfo);
  const status = useDatasetStore((s) => s.selectedStatus);
  const select = useDatasetStore((s) => s.select);
  useDetailKeys();
  if (selected === null) return null;
  const current = info !== null && info.filename === selected ? info : null;

  return (
    <aside
      className="detail"
      data-testid="item-detail"
      aria-label="Item detail (← → to move, Esc to close)"
    >
      <div className="detail-head">
        <h2 className="detail-title" title={selected} data-testid="detail-filename">
          {selected}
        </h2>
        <button
          type="button"
          className="icon-button"
          aria-label="Close detail"
          onClick={() => void select(null)}
          data-testid="detail-close"
        >
          ×
        </button>
      </div>
      {current === null ? (
        <p className="muted pad">
          {status === 'error' ? 'This item could not be loaded.' : 'Loading…'}
        </p>
      ) : (
        <>
          <Media projectId={projectId} info={current} />
          <dl className="meta">
            <Row label="Class">
              <ItemClassEditor key={`${current.filename}:${current.class}`} info={current} />
            </Row>
            <Row label="Type">{current.mime}</Row>
            <Row label="Size">{formatBytes(current.size)}</Row>
            {current.width !== null && current.height !== null && (
              <Row label="Dimensions">
                {current.width} × {current.height} px
              </Row>
            )}
            {current.duration !== null && (
              <Row label="Duration">{formatDuration(current.duration)}</Row>
            )}
            {current.sample_rate !== null && (
              <Row label="Sample rate">{current.sample_rate.toLocaleString('en-US')} Hz</Row>
            )}
            {current.channels !== null && (
              <Row label="Channels">
                {current.channels === 1
                  ? 'mono'
                  : current.channels === 2
                    ? 'stereo'
                    : current.channels}
              </Row>
            )}
            {current.rows !== null && <Row label="Rows">{current.rows}</Row>}
            {current.columns !== null && <Row label="Columns">{current.columns}</Row>}
            <Row label="Status">{current.status}</Row>
            <Row label="SHA-256">
              <code title={current.hash}>{current.hash.slice(0, 16)}…</code>
            </Row>
            <Row label="Imported">{new Date(current.created_at).toLocaleString()}</Row>
          </dl>
          <h3 className="detail-subtitle">Splits</h3>
          {current.splits.length === 0 ? (
            <p className="muted small">Not in any split yet.</p>
          ) : (
            <ul className="split-membership" data-testid="detail-splits">
              {current.splits.map((s) => {
                const subset = s.subset as keyof typeof SUBSET_LABELS;
                return (
                  <li key={s.split_index}>
                    <span>{s.name}</span>
                    <span
                      className="subset-chip"
                      style={{ background: SUBSET_COLORS[subset] ?? '#9ca3af' }}
                    >
                      {SUBSET_LABELS[subset] ?? s.subset}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </aside>
  );
}
