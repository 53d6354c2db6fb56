import { useEffect, useState } from 'react';
import { importResultOf } from '../../../src-shared/contract/jobs.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { estimateRemainingMs, progressFraction } from '../../lib/eta.js';
import { formatBytes, formatRemaining, plural } from '../../lib/format.js';
import { useImportStore } from '../../stores/import-store.js';
import { useNavStore } from '../../stores/nav-store.js';

/** Re-renders once a second while work runs, so "time left" keeps moving between events. */
function useTicker(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function ImportProgress({ projectId }: { readonly projectId: string }) {
  const owner = useImportStore((s) => s.projectId);
  const go = useNavStore((s) => s.go);
  const phase = useImportStore((s) => s.phase);
  const label = useImportStore((s) => s.label);
  const job = useImportStore((s) => s.job);
  const jobId = useImportStore((s) => s.jobId);
  const sent = useImportStore((s) => s.uploadSent);
  const total = useImportStore((s) => s.uploadTotal);
  const startedAt = useImportStore((s) => s.phaseStartedAt);
  const error = useImportStore((s) => s.error);
  const cancel = useImportStore((s) => s.cancel);
  const dismiss = useImportStore((s) => s.dismiss);
  const running = phase === 'uploading' || phase === 'processing';
  const now = useTicker(running);

  if (owner !== projectId || phase === 'idle') return null;

  if (phase === 'uploading') {
    const left = formatRemaining(estimateRemainingMs(sent, total, now - startedAt));
    return (
      <div className="import-progress" data-testid="import-progress" data-phase={phase}>
        <div className="progress-head">
          <strong>Uploading {label}</strong>
          <span className="muted" data-testid="import-status">
            {formatBytes(sent)} of {total > 0 ? formatBytes(total) : '…'}
            {left !== null && ` · ${left}`}
          </span>
        </div>
        <ProgressBar
          fraction={total > 0 ? progressFraction(sent, total) : null}
          label="Upload progress"
        />
      </div>
    );
  }

  if (phase === 'processing') {
    const done = job?.done ?? 0;
    const count = job?.total ?? 0;
    const left = formatRemaining(estimateRemainingMs(done, count, now - startedAt));
    return (
      <div className="import-progress" data-testid="import-progress" data-phase={phase}>
        <div className="progress-head">
          <strong>Importing {label}</strong>
          <span className="muted" data-testid="import-status">
            {count > 0
              ? `${done.toLocaleString('en-US')} of ${plural(count, 'file')}`
              : 'Looking for files…'}
            {left !== null && ` · ${left}`}
          </span>
          {jobId !== null && (
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => void cancel()}
              data-testid="import-cancel"
            >
              Cancel
            </button>
          )}
        </div>
        <ProgressBar
          fraction={count > 0 ? progressFraction(done, count) : null}
          label="Import progress"
        />
      </div>
    );
  }

  const result = job ? importResultOf(job) : null;
  const errors = result?.errors ?? [];
  return (
    <div
      className={`import-result import-${phase} ${result !== null && result.failed > 0 ? 'import-partial' : ''}`}
      data-testid="import-progress"
      data-phase={phase}
    >
      <div className="progress-head">
        <strong data-testid="import-summary">
          {phase === 'completed' && result !== null
            ? `Imported ${plural(result.imported, 'item')}` +
              (result.duplicates > 0
                ? ` · ${plural(result.duplicates, 'duplicate')} skipped`
                : '') +
              (result.failed > 0 ? ` · ${result.failed} failed` : '')
            : phase === 'cancelled'
              ? 'Import cancelled'
              : `Import failed: ${error ?? job?.error ?? 'unknown error'}`}
        </strong>
        {phase === 'completed' && result !== null && result.imported > 0 && (
          // What a newcomer does next: training needs a split of the data.
          <button
            type="button"
            className="btn btn-sm btn-primary"
            onClick={() => go('splits', projectId)}
            data-testid="import-next-split"
          >
            Next: create a split →
          </button>
        )}
        <button type="button" className="btn btn-sm" onClick={dismiss} data-testid="import-dismiss">
          Dismiss
        </button>
      </div>
      {errors.length > 0 && (
        <details className="import-errors" open={errors.length <= 5}>
          <summary>{plural(result?.failed ?? errors.length, 'file')} could not be imported</summary>
          <ul data-testid="import-errors">
            {errors.map((e) => (
              <li key={`${e.file}:${e.code}`} data-testid="import-error-row">
                <code>{e.file}</code> — {e.message}
              </li>
            ))}
            {/* The job keeps the first few; the rest are paged by the job's errors operation. */}
            {result !== null && result.failed > errors.length && (
              <li data-testid="import-errors-more">… and {result.failed - errors.length} more</li>
            )}
          </ul>
        </details>
      )}
    </div>
  );
}
