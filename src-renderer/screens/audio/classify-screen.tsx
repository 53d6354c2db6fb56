import { useEffect, useState, type DragEvent } from 'react';
import { formatPercent } from '../../lib/format.js';
import { useAudioClassifyStore } from '../../stores/audio-classify-store.js';
import { useAudioModelStore } from '../../stores/audio-model-store.js';
import { NoModel } from './no-model.js';
import { ProbabilityBars } from './probability-bars.js';
import { SignalView } from './signal-view.js';
import { SpectrogramCanvas } from './spectrogram-canvas.js';

const FAMILIES = ['CNN', 'TRANSFORMER', 'TRADITIONAL'] as const;

/** Classify: drop a file or record one; the verdict, each family's vote, the signal and events. */
export function AudioClassifyScreen() {
  const model = useAudioModelStore((s) => s.state);
  const loadModel = useAudioModelStore((s) => s.load);
  const { busy, result, error, columns, bins, classify, record } = useAudioClassifyStore();
  const [seconds, setSeconds] = useState(3);
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    void loadModel();
  }, [loadModel]);

  const onDrop = (e: DragEvent): void => {
    e.preventDefault();
    setDragging(false);
    const file = e.dataTransfer.files[0];
    if (file) void classify(file, file.name);
  };

  return (
    <section className="audio-screen" data-testid="audio-classify">
      {model === 'none' && result === null && <NoModel what="Classifying a recording" />}
      <div
        className={`drop-zone ${dragging ? 'drop-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="classify-drop"
      >
        <p>Drop a recording here (WAV, MP3, M4A, FLAC, OGG), or</p>
        <div className="row-actions">
          <label className="btn">
            Choose a file…
            <input
              type="file"
              accept="audio/*,.wav,.mp3,.m4a,.flac,.ogg"
              hidden
              data-testid="classify-file"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void classify(file, file.name);
                e.target.value = '';
              }}
            />
          </label>
          <button
            type="button"
            className="btn"
            disabled={busy !== null}
            onClick={() => void record(null, seconds)}
            data-testid="classify-record"
          >
            {busy === 'recording' ? 'Recording…' : `Record ${seconds} s`}
          </button>
          <select
            value={seconds}
            onChange={(e) => setSeconds(Number(e.target.value))}
            aria-label="Recording length"
          >
            {[2, 3, 5, 10].map((s) => (
              <option key={s} value={s}>
                {s} s
              </option>
            ))}
          </select>
        </div>
        {busy === 'classifying' && <p className="muted">Classifying…</p>}
      </div>
      {error !== null && (
        <p className="form-error" role="alert" data-testid="classify-error">
          {error}
        </p>
      )}
      {result !== null && (
        <div className="card" data-testid="classify-result">
          <div className="verdict">
            <span className="verdict-label" data-testid="classify-verdict">
              {result.predicted_label}
            </span>
            <span className="muted">
              {formatPercent(result.confidence)} · {result.filename} · {result.duration.toFixed(2)}{' '}
              s at {result.sample_rate} Hz · {(result.processing_time * 1000).toFixed(0)} ms
            </span>
          </div>
          <ul className="votes" data-testid="classify-votes">
            {FAMILIES.map((f) => (
              <li key={f} className="vote" data-family={f} data-testid={`vote-${f}`}>
                <span className="vote-family">{f}</span>
                <span className="vote-label">{result.model_votes[f] ?? 'not trained'}</span>
              </li>
            ))}
          </ul>
          <ProbabilityBars
            probabilities={result.all_probabilities}
            testId="classify-probabilities"
          />
          <h3 className="card-title">
            Waveform · {result.events.length} event{result.events.length === 1 ? '' : 's'}
          </h3>
          <SignalView
            samples={result.waveform}
            duration={result.duration}
            events={result.events}
            testId="classify-waveform"
          />
          {columns.length > 0 && (
            <>
              <h3 className="card-title">Spectrogram (0–8 kHz)</h3>
              <SpectrogramCanvas
                columns={columns}
                bins={bins}
                testId="classify-spectrogram"
                label="Spectrogram of the clip"
              />
            </>
          )}
        </div>
      )}
    </section>
  );
}
