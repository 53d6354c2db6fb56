import { client } from '../../client/index.js';
import { GALLERY_PAGE_SIZE, useEvaluationStore } from '../../stores/evaluation-store.js';

/** The items behind a clicked confusion-matrix cell, least confident first, paged. */
export function CellGallery({ projectId }: { readonly projectId: string }) {
  const cell = useEvaluationStore((s) => s.cell);
  const items = useEvaluationStore((s) => s.cellItems);
  const total = useEvaluationStore((s) => s.cellTotal);
  const page = useEvaluationStore((s) => s.cellPage);
  const status = useEvaluationStore((s) => s.pageStatus);
  const openCell = useEvaluationStore((s) => s.openCell);
  if (cell === null) return null;
  const pages = Math.max(1, Math.ceil(total / GALLERY_PAGE_SIZE));
  return (
    <section className="card" data-testid="eval-gallery" data-status={status}>
      <div className="card-head">
        <h3 className="card-title">
          <span data-testid="eval-gallery-title">
            {`True ${cell.trueClass}, predicted ${cell.predictedClass}`}
          </span>{' '}
          <span className="count" data-testid="eval-gallery-total">
            {total}
          </span>
        </h3>
        <button type="button" className="btn btn-sm" onClick={() => void openCell(null)}>
          Close
        </button>
      </div>
      {status === 'ready' && items.length === 0 && <p className="muted">No items in this cell.</p>}
      <div className="eval-gallery-grid">
        {items.map((item) => (
          <figure key={item.filename} className="eval-gallery-item" data-testid="eval-gallery-item">
            <img
              src={client.mediaUrl(projectId, item.filename, 'thumbnail')}
              alt={item.filename}
              loading="lazy"
              data-testid="eval-gallery-thumb"
            />
            <figcaption>
              <span className="tile-name" title={item.filename}>
                {item.filename}
              </span>
              <span className="small muted">
                {item.predicted_label ?? '—'}{' '}
                {item.confidence === null ? '' : `${(item.confidence * 100).toFixed(1)}%`}
              </span>
            </figcaption>
          </figure>
        ))}
      </div>
      {pages > 1 && (
        <div className="eval-pager">
          <button
            type="button"
            className="btn btn-sm"
            disabled={page <= 1 || status === 'loading'}
            onClick={() => void openCell(cell, page - 1)}
            data-testid="eval-gallery-prev"
          >
            Previous
          </button>
          <span className="small muted">
            Page {page} of {pages}
          </span>
          <button
            type="button"
            className="btn btn-sm"
            disabled={page >= pages || status === 'loading'}
            onClick={() => void openCell(cell, page + 1)}
            data-testid="eval-gallery-next"
          >
            Next
          </button>
        </div>
      )}
    </section>
  );
}
