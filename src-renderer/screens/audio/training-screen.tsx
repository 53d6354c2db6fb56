import { useEffect, useMemo, useState } from 'react';
import { PlotPanel } from '../../components/plot-panel.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { compactLayout, curveTraces } from '../../lib/audio/audio-traces.js';
import { etaText, isTrainingActive } from '../../lib/audio/portal-state.js';
import { AUDIO_MODEL_FAMILIES } from '../../../src-shared/contract/index.js';

type Family = (typeof AUDIO_MODEL_FAMILIES)[number];
import { formatPercent } from '../../lib/format.js';
import { useAudioTrainingStore } from '../../stores/audio-training-store.js';
import { FamilyProgressTable } from './family-progress-table.js';

/** Training: start the three families with a config, live curves, progress with ETA. */
export function AudioTrainingScreen() {
  const s = useAudioTrainingStore();
  const { follow } = s;
  const [epochs, setEpochs] = useState(10);
  const [batch, setBatch] = useState(32);
  const [rate, setRate] = useState(0.003);
  const [families, setFamilies] = useState<Family[]>([...AUDIO_MODEL_FAMILIES]);
  useEffect(() => follow(), [follow]);

  const status = s.status;
  const active = isTrainingActive(status?.status ?? '');
  const progress = status ? Math.max(0, Math.min(1, status.progress)) : 0;
  const eta = etaText(status?.eta_seconds);
  const lossTraces = useMemo(() => curveTraces(s.curves, 'loss'), [s.curves]);
  const accTraces = useMemo(() => curveTraces(s.curves, 'accuracy'), [s.curves]);
  const layout = useMemo(
    () => compactLayout(240, { xaxis: { title: { text: 'epoch' } }, uirevision: 'curves' }),
    [],
  );

  return (
    <section className="audio-screen" data-testid="audio-training">
      <div className="card">
        <h3 className="card-title">New training</h3>
        <div className="row-actions">
          <label>
            Epochs{' '}
            <input
              type="number"
              min={1}
              max={500}
              value={epochs}
              data-testid="training-epochs"
              onChange={(e) => setEpochs(Math.max(1, Number(e.target.value) || 1))}
            />
          </label>
          <label>
            Batch size{' '}
            <input
              type="number"
              min={1}
              max={1024}
              value={batch}
              onChange={(e) => setBatch(Math.max(1, Number(e.target.value) || 1))}
            />
          </label>
          <label>
            Learning rate{' '}
            <input
              type="number"
              min={0.00001}
              max={1}
              step={0.0001}
              value={rate}
              onChange={(e) => setRate(Number(e.target.value) || 0.003)}
            />
          </label>
          {AUDIO_MODEL_FAMILIES.map((f) => (
            <label key={f}>
              <input
                type="checkbox"
                checked={families.includes(f)}
                onChange={(e) =>
                  setFamilies(e.target.checked ? [...families, f] : families.filter((x) => x !== f))
                }
              />{' '}
              {f}
            </label>
          ))}
          <button
            type="button"
            className="btn btn-primary"
            disabled={s.starting || active || families.length === 0}
            onClick={() =>
              void s.start({ epochs, batch_size: batch, learning_rate: rate, families })
            }
            data-testid="training-start"
          >
            {active ? 'Training…' : 'Start training'}
          </button>
        </div>
      </div>
      {s.error !== null && (
        <p className="form-error" role="alert" data-testid="training-error">
          {s.error}
        </p>
      )}
      <div className="card" data-testid="training-status" data-status={status?.status ?? 'unknown'}>
        <h3 className="card-title">
          {status === null ? 'No training yet' : `Status: ${status.status}`}
        </h3>
        {status !== null && (
          <>
            <ProgressBar fraction={progress} label="Training progress" testId="training-progress" />
            <p className="muted" data-testid="training-message">
              {formatPercent(progress)}
              {active && eta !== null ? ` · ${eta}` : ''}
              {status.message ? ` · ${status.message}` : ''}
            </p>
            {status.error !== null && (
              <p className="form-error" role="alert">
                {status.error}
              </p>
            )}
            <FamilyProgressTable metrics={status.metrics} />
          </>
        )}
      </div>
      {lossTraces.length > 0 && (
        <div className="realtime-grid">
          <div className="card">
            <h3 className="card-title">Loss per family</h3>
            <PlotPanel
              traces={lossTraces}
              layout={layout}
              testId="training-loss"
              ariaLabel="Loss per family"
            />
          </div>
          <div className="card">
            <h3 className="card-title">Accuracy per family</h3>
            <PlotPanel
              traces={accTraces}
              layout={layout}
              testId="training-accuracy"
              ariaLabel="Accuracy per family"
            />
          </div>
        </div>
      )}
    </section>
  );
}
