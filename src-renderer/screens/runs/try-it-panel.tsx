import { useEffect, useRef, useState } from 'react';
import type { Task } from '../../../src-shared/contract/index.js';
import { ACCEPT, probabilityBars, tryItMedia } from '../../lib/try-it.js';
import { useTryItStore } from '../../stores/try-it-store.js';

interface TryItPanelProps {
  readonly projectId: string;
  readonly runId: string;
  readonly task: Task;
}

const NOUN = { image: 'an image', audio: 'a sound', table: 'a row' } as const;

/**
 * Try it: one image, sound or table row through the completed run's best checkpoint (served by
 * onnxruntime), with every class probability as a bar, or the value, and the time it took.
 */
export function TryItPanel({ projectId, runId, task }: TryItPanelProps) {
  const media = tryItMedia(task);
  const open = useTryItStore((s) => s.open);
  const mine = useTryItStore((s) => s.runId === runId);
  const status = useTryItStore((s) => (mine ? s.status : 'idle'));
  const result = useTryItStore((s) => (mine ? s.result : null));
  const error = useTryItStore((s) => (mine ? s.error : null));
  const itemLabel = useTryItStore((s) => (mine ? s.itemLabel : null));
  const previewUrl = useTryItStore((s) => (mine ? s.previewUrl : null));
  const model = useTryItStore((s) => (mine ? s.model : 'preparing'));
  const tryFile = useTryItStore((s) => s.tryFile);
  const tryRow = useTryItStore((s) => s.tryRow);
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [rowText, setRowText] = useState('');

  useEffect(() => open(projectId, runId), [open, projectId, runId]);

  const take = (files: FileList | null): void => {
    const file = files?.[0];
    if (file) void tryFile(projectId, runId, file);
  };

  return (
    <section className="card try-it" data-testid="try-it" data-state={status} data-model={model}>
      <div className="card-head">
        <h2 className="card-title">Try it</h2>
        <span className="muted small" data-testid="try-it-model">
          {model === 'preparing'
            ? 'preparing the model (ONNX export, checked against TensorFlow.js)…'
            : 'best checkpoint, run by onnxruntime'}
        </span>
      </div>
      {media === 'table' ? (
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            void tryRow(projectId, runId, rowText);
          }}
        >
          <label className="field try-it-row">
            <span className="field-label">Values in column order (1.2, 3, 4) or name=value</span>
            <input
              className="input"
              value={rowText}
              onChange={(e) => setRowText(e.target.value)}
              data-testid="try-it-row"
            />
          </label>
          <button type="submit" className="btn btn-primary" data-testid="try-it-predict">
            Predict
          </button>
        </form>
      ) : (
        <div
          className={`try-it-drop${dragging ? ' dragging' : ''}`}
          data-testid="try-it-drop"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            e.stopPropagation();
            take(e.dataTransfer.files);
          }}
        >
          <p>Drop {NOUN[media]} here, or</p>
          <button type="button" className="btn" onClick={() => input.current?.click()}>
            Choose a file…
          </button>
          <input
            ref={input}
            type="file"
            hidden
            accept={ACCEPT[media]}
            data-testid="try-it-file"
            onChange={(e) => {
              take(e.target.files);
              e.target.value = '';
            }}
          />
        </div>
      )}
      {status === 'loading' && (
        <p className="muted" role="status" data-testid="try-it-loading">
          Predicting {itemLabel}…
        </p>
      )}
      {status === 'error' && error !== null && (
        <p className="field-error" role="alert" data-testid="try-it-error">
          {error}
        </p>
      )}
      {status === 'done' && result !== null && (
        <div className="try-it-result" data-testid="try-it-result" data-model-id={result.model_id}>
          {previewUrl !== null && (
            <img className="try-it-preview" src={previewUrl} alt={itemLabel ?? ''} />
          )}
          <div className="try-it-answer">
            <p className="muted small" data-testid="try-it-item">
              {itemLabel}
            </p>
            {result.kind === 'regression' ? (
              <p className="try-it-value">
                Value: <strong data-testid="try-it-value">{result.value?.toPrecision(6)}</strong>
              </p>
            ) : (
              <>
                <p className="try-it-top">
                  <strong data-testid="try-it-top">{result.top?.label}</strong>
                </p>
                <ol className="try-it-bars" data-testid="try-it-bars">
                  {probabilityBars(result).map((b) => (
                    <li
                      key={b.label}
                      className={b.top ? 'top' : undefined}
                      data-testid="try-it-bar"
                      data-label={b.label}
                      data-probability={b.probability}
                    >
                      <span className="try-it-label">{b.label}</span>
                      <span className="try-it-track">
                        <span className="try-it-fill" style={{ width: `${b.percent}%` }} />
                      </span>
                      <span className="mono small">{(b.probability * 100).toFixed(1)} %</span>
                    </li>
                  ))}
                </ol>
              </>
            )}
            <p className="muted small" data-testid="try-it-time">
              {result.time_ms.toFixed(1)} ms
              {result.first_use &&
                ` (first use: ${result.total_ms.toFixed(0)} ms with the ONNX export)`}
            </p>
          </div>
        </div>
      )}
    </section>
  );
}
