import { useMemo, useState } from 'react';
import type { RegressionModelInfo } from '../../../src-shared/contract/regression.js';
import { PlotPanel } from '../../components/plot-panel.js';
import { outputsLinkable } from '../../client/index.js';
import {
  PREDICTIONS_LAYOUT,
  learningCurveLayout,
  learningCurveTraces,
  predictedVsActualTraces,
} from '../../lib/regression-traces.js';

interface RegressionPlotsProps {
  readonly model: RegressionModelInfo;
  /** Bumped after each training so the PNG links do not serve a cached older plot. */
  readonly plotsVersion: number;
}

/** The trained model's learning curve (linear or log loss) and predicted-vs-actual plot. */
export function RegressionPlots({ model, plotsVersion }: RegressionPlotsProps) {
  const [logScale, setLogScale] = useState(false);
  const curve = useMemo(() => learningCurveTraces(model.history), [model]);
  const curveLayout = useMemo(() => learningCurveLayout(logScale), [logScale]);
  const scatter = useMemo(
    () => predictedVsActualTraces(model.test_actual, model.test_predicted),
    [model],
  );

  return (
    <div className="regression-plots">
      <section className="card">
        <div className="card-head">
          <h2 className="card-title">Learning curve</h2>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={logScale}
              onChange={(e) => setLogScale(e.target.checked)}
              data-testid="regression-log-scale"
            />
            Log scale
          </label>
          {outputsLinkable && (
            <a className="link-button" href={`/outputs/learning_curve.png?v=${plotsVersion}`}>
              PNG
            </a>
          )}
        </div>
        <PlotPanel
          traces={curve}
          layout={curveLayout}
          testId="regression-learning-curve"
          ariaLabel="Training and validation loss per epoch"
        />
      </section>
      <section className="card">
        <div className="card-head">
          <h2 className="card-title">Predicted vs actual (test)</h2>
          {outputsLinkable && (
            <a className="link-button" href={`/outputs/predictions_plot.png?v=${plotsVersion}`}>
              PNG
            </a>
          )}
        </div>
        <PlotPanel
          traces={scatter}
          layout={PREDICTIONS_LAYOUT}
          testId="regression-predictions"
          ariaLabel="Predicted against actual target values on the test part, with the y = x line"
        />
      </section>
    </div>
  );
}
