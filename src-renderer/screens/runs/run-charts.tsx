import { useMemo, type ReactNode } from 'react';
import type { Run, Task } from '../../../src-shared/contract/index.js';
import { LiveCurve } from '../../components/live-curve.js';
import { liveCurveData } from '../../lib/live-curves.js';
import { curveMetricFor, METRIC_LABELS } from '../../lib/training-traces.js';

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

  const loss = useMemo(() => liveCurveData(history, ['loss', 'val_loss'], best), [history, best]);
  const acc = useMemo(
    () => liveCurveData(history, [metric, `val_${metric}`], best),
    [history, best, metric],
  );

  return (
    <div className="run-charts">
      <Chart title="Loss" testId="run-chart-loss" epochs={history.length}>
        <LiveCurve
          data={loss}
          yTitle="Loss"
          percent={false}
          plannedEpochs={epochs}
          testId="run-chart-loss-plot"
          ariaLabel="Training and validation loss per epoch"
        />
      </Chart>
      <Chart
        title={metric === 'accuracy' ? 'Accuracy' : 'Mean absolute error'}
        testId="run-chart-metric"
        epochs={history.length}
      >
        <LiveCurve
          data={acc}
          yTitle={METRIC_LABELS[metric] ?? metric}
          percent={metric === 'accuracy'}
          plannedEpochs={epochs}
          testId="run-chart-metric-plot"
          ariaLabel={`Training and validation ${metric} per epoch`}
        />
      </Chart>
    </div>
  );
}
