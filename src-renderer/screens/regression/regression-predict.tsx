import { useState } from 'react';
import { predictInputProblem } from '../../lib/regression-messages.js';
import { useRegressionStore } from '../../stores/regression-store.js';

/** One field per feature (named as the dataset names them), then POST /predict. */
export function RegressionPredict({ featureNames }: { readonly featureNames: readonly string[] }) {
  const prediction = useRegressionStore((s) => s.prediction);
  const predictError = useRegressionStore((s) => s.predictError);
  const predict = useRegressionStore((s) => s.predict);
  const clearPrediction = useRegressionStore((s) => s.clearPrediction);
  const [values, setValues] = useState<string[]>(() => featureNames.map(() => '0.5'));
  const numbers = values.map((v) => Number(v.trim()));
  const problem = predictInputProblem(featureNames, values);
  const ok = problem === null;

  return (
    <section className="card">
      <div className="card-head">
        <h2 className="card-title">Predict</h2>
      </div>
      <form
        className="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          if (ok) void predict(numbers);
        }}
      >
        {featureNames.map((name, i) => (
          <label className="field" key={name}>
            <span className="field-label">{name}</span>
            <input
              className="input input-sm"
              value={values[i] ?? ''}
              onChange={(e) => {
                setValues(values.map((v, j) => (j === i ? e.target.value : v)));
                // The shown prediction was for the old values; keeping it would mislead.
                clearPrediction();
              }}
              aria-invalid={(values[i] ?? '').trim() === '' || !Number.isFinite(numbers[i])}
              data-testid={`regression-input-${i}`}
            />
          </label>
        ))}
        <button
          type="submit"
          className="btn btn-primary"
          disabled={!ok}
          data-testid="regression-predict"
        >
          Predict
        </button>
      </form>
      {problem !== null && (
        <p className="field-error" data-testid="regression-input-error">
          {problem}
        </p>
      )}
      {prediction !== null && (
        <p className="regression-prediction">
          Prediction:{' '}
          <strong data-testid="regression-prediction">{prediction.value.toFixed(4)}</strong>
        </p>
      )}
      {predictError !== null && (
        <p className="field-error" role="alert" data-testid="regression-predict-error">
          {predictError}
        </p>
      )}
    </section>
  );
}
