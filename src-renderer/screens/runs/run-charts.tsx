import { useMemo, type ReactNode } from 'react';
import type { Run, Task } from '../../../src-shared/contract/index.js';
import { PlotPanel } from '../../components/plot-panel.js';
import {
  bestMarkerTrace,
  curveLayout,
  curveMetricFor,
  lossTraces,
  METRIC_LABELS,
  metricTraces,
} from '../../lib/training-traces.js';

interface ChartProps {
  readonly title: string;
  readonly testId: string;
  readonly epochs: number;
  readonly children: ReactNode;
}

function Chart({ title, testId, epochs, children }: ChartProps) {
  return (
    <section className="card run-chart" data-testid={testId} data-epochs={epochs}>
      <h2 className="card-title">{title}</h2>
      <div className="run-chart-body">
        {children}
        {epochs === 0 && (
          <p className="chart-waiting muted small">The curve starts when the first epoch ends.</p>
        )}
      </div>
    </section>
  );
}

/** Loss and accuracy (or MAE) per epoch, train solid and validation dashed, updated live. */
export function RunCharts({ run, task }: { readonly run: Run; readonly task: Task }) {
  const history = run.metrics.history;
  const best = run.checkpoints.best ?? run.metrics.best;
  const metric = curveMetricFor(task);
  const epochs = run.progress?.epochs ?? run.config.epochs;

  const loss = useMemo(
    () => [...lossTraces(history), ...bestMarkerTrace(history, best, ['loss', 'val_loss'])],
    [history, best],
  );
  const acc = useMemo(
    () => [
      ...metricTraces(history, metric),
      ...bestMarkerTrace(history, best, [metric, `val_${metric}`]),
    ],
    [history, best, metric],
  );
  const lossLayout = useMemo(
    () => curveLayout({ yTitle: 'Loss', epochs, revision: run.run_id }),
    [epochs, run.run_id],
  );
  const accLayout = useMemo(
    () =>
      curveLayout({
        yTitle: METRIC_LABELS[metric] ?? metric,
        epochs,
        percent: metric === 'accuracy',
        revision: run.run_id,
      }),
    [epochs, metric, run.run_id],
  );

  return (
    <div className="run-charts">
      <Chart title="Loss" testId="run-chart-loss" epochs={history.length}>
        <PlotPanel
          traces={loss}
          layout={lossLayout}
          testId="run-chart-loss-plot"
          ariaLabel="Training and validation loss per epoch"
        />
      </Chart>
      <Chart
        title={metric === 'accuracy' ? 'Accuracy' : 'Mean absolute error'}
        testId="run-chart-metric"
        epochs={history.length}
      >
        <PlotPanel
          traces={acc}
          layout={accLayout}
          testId="run-chart-metric-plot"
          ariaLabel={`Training and validation ${metric} per epoch`}
        />
      </Chart>
    </div>
  );
}
