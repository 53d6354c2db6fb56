import { useEffect, useMemo, useState } from 'react';
import type { Evaluation } from '../../../src-shared/contract/index.js';
import { client } from '../../client/index.js';
import { PlotPanel } from '../../components/plot-panel.js';
import { errorMessage } from '../../lib/errors.js';
import {
  predictedVsActual,
  regressionPoints,
  residualHistogram,
  type RegressionPoint,
} from '../../lib/regression-eval-traces.js';

/** The most items plotted (pages of the API's largest size); beyond it the plots say so. */
const MAX_POINTS = 5000;
const PAGE = 1000;

/** A completed regression evaluation: its metrics, predicted-vs-actual and residual plots. */
export function RegressionReport({
  projectId,
  evaluation,
}: {
  readonly projectId: string;
  readonly evaluation: Evaluation;
}) {
  // Keyed by evaluation, so switching evaluations shows 'loading' without resetting in the effect.
  const [loaded, setLoaded] = useState<{
    readonly evalId: string;
    readonly points: RegressionPoint[] | null;
    readonly error: string | null;
  } | null>(null);
  const current = loaded?.evalId === evaluation.eval_id ? loaded : null;
  const points = current?.points ?? null;
  const error = current?.error ?? null;
  const metrics =
    evaluation.metrics !== null && !('accuracy' in evaluation.metrics) ? evaluation.metrics : null;

  useEffect(() => {
    if (evaluation.status !== 'completed') return;
    let live = true;
    const evalId = evaluation.eval_id;
    void (async () => {
      const items = [];
      for (let page = 1; items.length < MAX_POINTS; page++) {
        const r = await client.getEvaluationResults({
          project_id: projectId,
          eval_id: evalId,
          page,
          page_size: PAGE,
        });
        items.push(...r.items);
        if (page >= r.total_pages) break;
      }
      if (live) setLoaded({ evalId, points: regressionPoints(items), error: null });
    })().catch((e: unknown) => {
      if (live) setLoaded({ evalId, points: null, error: errorMessage(e) });
    });
    return () => {
      live = false;
    };
  }, [projectId, evaluation.eval_id, evaluation.status]);

  const scatter = useMemo(() => (points ? predictedVsActual(points) : null), [points]);
  const histogram = useMemo(() => (points ? residualHistogram(points) : null), [points]);
  const histogramTraces = useMemo(() => (histogram ? [histogram.trace] : []), [histogram]);

  if (metrics === null) return null;
  return (
    <div data-testid="eval-regression-report">
      <p className="eval-accuracy" data-testid="eval-regression">
        MSE {metrics.mse.toFixed(4)} · RMSE {metrics.rmse.toFixed(4)} · MAE {metrics.mae.toFixed(4)}{' '}
        · R² {metrics.r2.toFixed(3)} ({metrics.count} items)
      </p>
      {error !== null && (
        <p className="run-message run-message-error">Could not load the items: {error}</p>
      )}
      {points === null && error === null && <p className="muted small">Loading the items…</p>}
      {scatter !== null && histogram !== null && points !== null && (
        <>
          {metrics.count > points.length && (
            <p className="muted small">
              Showing the first {points.length} of {metrics.count} items.
            </p>
          )}
          <div className="eval-report eval-report-even">
            <div className="eval-confusion">
              <h3 className="card-title">Predicted vs actual</h3>
              <PlotPanel
                traces={scatter.traces}
                layout={scatter.layout}
                ariaLabel="Predicted value against actual value, one point per item"
                testId="eval-regression-scatter"
              />
            </div>
            <div className="eval-confusion">
              <h3 className="card-title">Residuals</h3>
              <PlotPanel
                traces={histogramTraces}
                layout={histogram.layout}
                ariaLabel="Histogram of residuals (predicted minus actual)"
                testId="eval-regression-residuals"
              />
            </div>
          </div>
        </>
      )}
    </div>
  );
}
