import { useEffect, useRef, useState, type DragEvent } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { parseHiddenLayers } from '../../lib/regression-traces.js';
import { outputsLinkable } from '../../client/index.js';
import { formatRemaining } from '../../lib/format.js';
import { useRegressionStore } from '../../stores/regression-store.js';
import { RegressionPlots } from './regression-plots.js';
import { RegressionPredict } from './regression-predict.js';

const fmt = (v: number, digits = 4): string =>
  Math.abs(v) >= 1e5 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(digits);

/**
 * The tabular-regression workflow (api-reference/tabular-regression.md) on one screen: upload a
 * table (pickle of numpy arrays, CSV, .npy, .npz), train an MLP, look at its curves, predict.
 */
export function RegressionScreen() {
  const server = useRegressionStore((s) => s.server);
  const busy = useRegressionStore((s) => s.busy);
  const error = useRegressionStore((s) => s.error);
  const lastTrain = useRegressionStore((s) => s.lastTrain);
  const plotsVersion = useRegressionStore((s) => s.plotsVersion);
  const { load, upload, train, reset } = useRegressionStore.getState();
  const [targetColumn, setTargetColumn] = useState('');
  const [epochs, setEpochs] = useState('100');
  const [lr, setLr] = useState('0.001');
  const [hidden, setHidden] = useState('64, 32');
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  // Training or a new upload throws the trained model away; this holds the action until confirmed.
  const [pending, setPending] = useState<{ what: string; go: () => void } | null>(null);

  useEffect(() => {
    void load();
  }, [load]);

  const dataset = server?.dataset ?? null;
  const model = server?.model ?? null;
  const training = server?.training ?? null;
  const layers = parseHiddenLayers(hidden);
  const epochsN = Number(epochs);
  const lrN = Number(lr);
  const paramsOk =
    layers !== null && Number.isInteger(epochsN) && epochsN >= 1 && lrN > 0 && lrN <= 1;

  const guarded = (what: string, go: () => void): void => {
    if (model === null) go();
    else setPending({ what, go });
  };
  const send = (files: FileList | null): void => {
    const file = files?.[0];
    const target = targetColumn.trim() === '' ? null : targetColumn.trim();
    if (file) guarded(`Upload ${file.name}`, () => void upload(file, target));
  };
  const drop = {
    onDragOver(e: DragEvent) {
      e.preventDefault();
      setDragging(true);
    },
    onDragLeave() {
      setDragging(false);
    },
    onDrop(e: DragEvent) {
      e.preventDefault();
      setDragging(false);
      send(e.dataTransfer.files);
    },
  };

  return (
    <div className="screen regression-screen" data-testid="regression-screen">
      {error !== null && (
        <div className="card regression-error" role="alert" data-testid="regression-error">
          {error}
        </div>
      )}

      <section className="card">
        <div className="card-head">
          <h2 className="card-title">Dataset</h2>
          <button
            type="button"
            className="btn btn-sm btn-ghost-danger"
            disabled={busy !== null || (dataset === null && model === null)}
            onClick={() => void reset()}
            data-testid="regression-reset"
          >
            Reset
          </button>
        </div>
        <div
          className={`regression-drop ${dragging ? 'dragging' : ''}`}
          {...drop}
          data-testid="regression-drop"
        >
          <p>
            Drop a table here: a pickle with <code>X</code>, <code>y</code> and{' '}
            <code>metadata</code>, a CSV, or a <code>.npy</code>/<code>.npz</code>.
          </p>
          <div className="form-row">
            <button
              type="button"
              className="btn"
              disabled={busy !== null}
              onClick={() => fileInput.current?.click()}
            >
              Choose file…
            </button>
            <input
              ref={fileInput}
              type="file"
              hidden
              onChange={(e) => {
                send(e.target.files);
                e.target.value = '';
              }}
              data-testid="regression-file-input"
            />
            <label className="field">
              <span className="field-label">Target column (CSV; default: last)</span>
              <input
                className="input input-sm"
                value={targetColumn}
                onChange={(e) => setTargetColumn(e.target.value)}
                placeholder="last column"
                data-testid="regression-target-column"
              />
            </label>
          </div>
          {busy === 'uploading' && <ProgressBar fraction={null} label="Uploading" />}
        </div>
        {dataset === null ? (
          <p className="muted" data-testid="regression-no-dataset">
            No dataset yet.
          </p>
        ) : (
          <dl className="regression-summary" data-testid="regression-summary">
            <dt>File</dt>
            <dd data-testid="regression-filename">{dataset.filename}</dd>
            <dt>Samples</dt>
            <dd data-testid="regression-num-points">{dataset.num_points}</dd>
            <dt>Features</dt>
            <dd data-testid="regression-num-features">
              {dataset.num_features} ({dataset.feature_names.join(', ')})
            </dd>
            <dt>Target</dt>
            <dd data-testid="regression-target-range">
              {dataset.target_name}: {fmt(dataset.target_range.min, 3)} …{' '}
              {fmt(dataset.target_range.max, 3)}
            </dd>
            <dt>Split</dt>
            <dd data-testid="regression-sizes">
              {dataset.train_size} train / {dataset.val_size} validation / {dataset.test_size} test
            </dd>
          </dl>
        )}
      </section>

      <section className="card">
        <div className="card-head">
          <h2 className="card-title">Train</h2>
        </div>
        <div className="form-row">
          <label className="field">
            <span className="field-label">Epochs</span>
            <input
              className="input input-sm"
              type="number"
              min={1}
              value={epochs}
              onChange={(e) => setEpochs(e.target.value)}
              data-testid="regression-epochs"
            />
          </label>
          <label className="field">
            <span className="field-label">Learning rate</span>
            <input
              className="input input-sm"
              value={lr}
              onChange={(e) => setLr(e.target.value)}
              data-testid="regression-lr"
            />
          </label>
          <label className="field">
            <span className="field-label">Hidden layers</span>
            <input
              className="input input-sm"
              value={hidden}
              onChange={(e) => setHidden(e.target.value)}
              data-testid="regression-hidden"
            />
            {layers === null && <span className="field-error">e.g. 64, 32</span>}
          </label>
          <button
            type="button"
            className="btn btn-primary"
            disabled={busy !== null || dataset === null || !paramsOk}
            onClick={() =>
              guarded('Train again', () => {
                void train({ epochs: epochsN, learning_rate: lrN, hidden_layers: layers ?? [] });
              })
            }
            data-testid="regression-train"
          >
            Train
          </button>
        </div>
        {busy === 'training' && (
          <div data-testid="regression-training">
            <ProgressBar
              fraction={training && training.epochs > 0 ? training.epoch / training.epochs : null}
              label="Training"
              testId="regression-progress"
            />
            <p className="muted">
              {training && training.epoch > 0
                ? [
                    `Epoch ${training.epoch} of ${training.epochs}`,
                    formatRemaining(
                      training.eta_seconds === null ? null : training.eta_seconds * 1000,
                    ),
                  ]
                    .filter((part) => part !== null)
                    .join(' · ')
                : 'Preparing…'}
            </p>
          </div>
        )}
        {model !== null && (
          <dl className="regression-summary" data-testid="regression-result">
            <dt>R² (test)</dt>
            <dd data-testid="regression-r2">{fmt(model.r2)}</dd>
            <dt>MSE (test)</dt>
            <dd data-testid="regression-mse">{fmt(model.mse)}</dd>
            <dt>Training time</dt>
            <dd>{model.training_time_seconds.toFixed(2)} s</dd>
            <dt>Model</dt>
            <dd>
              [{model.hidden_layers.join(', ')}], lr {model.learning_rate}, {model.epochs} epochs
              {outputsLinkable && (
                <>
                  {' · '}
                  <a href="/outputs/model.pkl" download>
                    model.pkl
                  </a>
                </>
              )}
            </dd>
          </dl>
        )}
      </section>

      {model !== null && <RegressionPlots model={model} plotsVersion={plotsVersion} />}

      {model !== null && dataset !== null && (
        <RegressionPredict key={model.run_id} featureNames={dataset.feature_names} />
      )}
      {lastTrain !== null && <span hidden data-testid="regression-trained" />}
      {pending !== null && (
        <ConfirmDialog
          title="Replace the trained model?"
          message={`${pending.what} replaces the model trained ${model ? `for ${model.epochs} epochs (R² ${fmt(model.r2)})` : ''}, its plots and model.pkl. Download model.pkl first to keep it.`}
          confirmLabel="Replace model"
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const { go } = pending;
            setPending(null);
            go();
          }}
        />
      )}
    </div>
  );
}
