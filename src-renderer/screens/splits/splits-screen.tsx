import { useEffect } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { useNavStore } from '../../stores/nav-store.js';
import { useSplitsStore } from '../../stores/splits-store.js';
import { splitLabel } from '../../../src-shared/format/metric-names.js';
import { SplitDistribution } from './split-distribution.js';
import { SplitForm } from './split-form.js';
import { SplitList } from './split-list.js';

export function SplitsScreen({ projectId }: { readonly projectId: string }) {
  const open = useSplitsStore((s) => s.open);
  const status = useSplitsStore((s) => s.status);
  const error = useSplitsStore((s) => s.error);
  const preview = useSplitsStore((s) => s.preview);
  const previewStatus = useSplitsStore((s) => s.previewStatus);
  const previewError = useSplitsStore((s) => s.previewError);
  const detail = useSplitsStore((s) => s.detail);
  const select = useSplitsStore((s) => s.select);
  const go = useNavStore((s) => s.go);

  useEffect(() => {
    void open(projectId);
  }, [open, projectId]);

  const previewTotal =
    preview === null
      ? null
      : preview.stats.train + preview.stats.val + preview.stats.test + preview.stats.none;
  const noItems = previewTotal === 0;

  return (
    <div className="screen splits-screen" data-testid="splits-screen">
      <div className="split-top">
        <SplitForm canCreate={!noItems && previewStatus !== 'error'} />
        <section
          className="card preview-card"
          data-testid="split-preview-card"
          aria-busy={previewStatus === 'loading'}
        >
          <h2 className="card-title">
            Preview{' '}
            {previewStatus === 'loading' && <span className="spinner" aria-label="Updating" />}
          </h2>
          {previewStatus === 'error' ? (
            <EmptyState title="The preview failed." tone="error" testId="split-preview-error">
              {previewError}
            </EmptyState>
          ) : noItems ? (
            <EmptyState title="No items to split yet" testId="splits-no-items">
              <p>
                Import a dataset first; splits divide its items into train, validation and test
                sets.
              </p>
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => go('dataset', projectId)}
              >
                Go to Dataset
              </button>
            </EmptyState>
          ) : preview === null ? (
            <p className="muted pad">Computing…</p>
          ) : (
            <SplitDistribution
              stats={preview.stats}
              perClass={preview.per_class}
              testId="split-preview"
              // With a split open below, its chart is the one chart: the preview keeps the numbers.
              chart={detail === null}
            />
          )}
        </section>
      </div>
      <section className="card">
        <h2 className="card-title">Splits</h2>
        {status === 'error' ? (
          <EmptyState title="The splits could not be loaded." tone="error">
            <p>{error}</p>
            <button type="button" className="btn" onClick={() => void open(projectId)}>
              Try again
            </button>
          </EmptyState>
        ) : (
          <SplitList />
        )}
      </section>
      {detail !== null && (
        <section className="card" data-testid="split-detail" data-split-index={detail.split_index}>
          <div className="card-head">
            <h2 className="card-title">
              {detail.name}{' '}
              <span className="muted small" data-testid="split-detail-number">
                {splitLabel(detail.split_index)}
              </span>
            </h2>
            <span className="muted small">
              seed {detail.seed} · {detail.stratify ? 'stratified' : 'not stratified'} · created{' '}
              {new Date(detail.created_at).toLocaleString()}
            </span>
            <button
              type="button"
              className="icon-button"
              aria-label="Close split detail"
              onClick={() => void select(null)}
            >
              ×
            </button>
          </div>
          <SplitDistribution
            stats={detail.stats}
            perClass={detail.per_class}
            testId="split-detail-dist"
          />
        </section>
      )}
    </div>
  );
}
