import { useCallback, useMemo } from 'react';
import { PlotPanel } from '../../components/plot-panel.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { confusionHeatmap } from '../../lib/evaluation-traces.js';
import { splitLabel } from '../../../src-shared/format/metric-names.js';
import { useEvaluationStore } from '../../stores/evaluation-store.js';
import { useRunsStore } from '../../stores/runs-store.js';
import { CellGallery } from './cell-gallery.js';
import { MetricsTable, type ClassificationMetrics } from './metrics-table.js';
import { RegressionReport } from './regression-report.js';

/** The selected evaluation: progress while it runs, then its report and confusion matrix. */
export function EvaluationView({ projectId }: { readonly projectId: string }) {
  const ev = useEvaluationStore((s) => s.evaluations.find((e) => e.eval_id === s.selectedId));
  const openCell = useEvaluationStore((s) => s.openCell);
  const runName = useRunsStore((s) => s.runs.find((r) => r.run_id === ev?.run_id)?.name);
  const metrics: ClassificationMetrics | null =
    ev?.metrics !== null && ev?.metrics !== undefined && 'accuracy' in ev.metrics
      ? ev.metrics
      : null;
  const classes = useMemo(() => metrics?.per_class.map((c) => c.class) ?? [], [metrics]);
  const plot = useMemo(
    () => (metrics === null ? null : confusionHeatmap(classes, metrics.confusion_matrix)),
    [metrics, classes],
  );
  const traces = useMemo(() => (plot === null ? [] : [plot.trace]), [plot]);
  const onCell = useCallback(
    (p: { readonly x: unknown; readonly y: unknown }) => {
      if (typeof p.x !== 'string' || typeof p.y !== 'string') return;
      void openCell({ trueClass: p.y, predictedClass: p.x });
    },
    [openCell],
  );

  if (ev === undefined) return null;
  return (
    <>
      <section className="card" data-testid="eval-view" data-status={ev.status}>
        <div className="card-head">
          <h2 className="card-title" data-testid="eval-title">
            {runName ?? ev.run_id} on {ev.split_subset}{' '}
            <span className="muted small">{ev.status}</span>
          </h2>
          <span className="muted small">
            {ev.checkpoint} checkpoint · {splitLabel(ev.split_index)} · {ev.item_count} items ·{' '}
            <span className="mono">{ev.eval_id}</span>
          </span>
        </div>
        {(ev.status === 'pending' || ev.status === 'running') && (
          <ProgressBar fraction={null} label="Evaluating" testId="eval-progress" />
        )}
        {ev.status === 'failed' && (
          <p className="run-message run-message-error" data-testid="eval-message">
            {ev.message}
          </p>
        )}
        {ev.metrics !== null && !('accuracy' in ev.metrics) && (
          <RegressionReport projectId={projectId} evaluation={ev} />
        )}
        {metrics !== null && plot !== null && (
          <div className="eval-report">
            <MetricsTable metrics={metrics} />
            <div className="eval-confusion">
              <h3 className="card-title">Confusion matrix</h3>
              <p className="small muted">Click a cell to see its items.</p>
              <PlotPanel
                traces={traces}
                layout={plot.layout}
                ariaLabel="Confusion matrix: true class by predicted class"
                testId="eval-confusion"
                onPointClick={onCell}
              />
            </div>
          </div>
        )}
      </section>
      <CellGallery projectId={projectId} />
    </>
  );
}
