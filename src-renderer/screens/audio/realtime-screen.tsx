import { useEffect } from 'react';
import { AUDIO_CLASSES } from '../../../src-shared/contract/index.js';
import { clockTime, parseThreshold, thresholdOf } from '../../lib/audio/event-log.js';
import { formatPercent } from '../../lib/format.js';
import { useAudioModelStore } from '../../stores/audio-model-store.js';
import { useAudioRealtimeStore } from '../../stores/audio-realtime-store.js';
import { LevelMeterView } from './level-meter-view.js';
import { NoModel } from './no-model.js';
import { ProbabilityBars } from './probability-bars.js';
import { LiveWaveform } from './live-waveform.js';
import { SpectrogramCanvas } from './spectrogram-canvas.js';

/** Realtime: the microphone streamed to the server, its verdicts live. */
export function AudioRealtimeScreen() {
  const model = useAudioModelStore((s) => s.state);
  const loadModel = useAudioModelStore((s) => s.load);
  const s = useAudioRealtimeStore();
  const { loadDevices, stop } = s;

  useEffect(() => {
    void loadModel();
    void loadDevices();
    // Leaving the screen releases the microphone and ends the stream.
    return () => void stop();
  }, [loadModel, loadDevices, stop]);

  const running = s.phase === 'running';
  return (
    <section className="audio-screen" data-testid="audio-realtime">
      {model === 'none' && <NoModel what="Live classification" />}
      <div className="card realtime-controls">
        <label>
          Input{' '}
          <select
            value={s.deviceId ?? ''}
            disabled={s.phase !== 'idle'}
            onChange={(e) => s.setDevice(e.target.value || null)}
            data-testid="realtime-device"
          >
            <option value="">Default microphone</option>
            {s.devices.map((d) => (
              <option key={d.deviceId} value={d.deviceId}>
                {d.label}
              </option>
            ))}
          </select>
        </label>
        {s.phase === 'idle' ? (
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => void s.start()}
            data-testid="realtime-start"
          >
            Start listening
          </button>
        ) : (
          <button
            type="button"
            className="btn"
            disabled={s.phase === 'stopping'}
            onClick={() => void s.stop()}
            data-testid="realtime-stop"
          >
            Stop
          </button>
        )}
        <span className="muted" data-testid="realtime-state" data-phase={s.phase}>
          {running
            ? `Listening: ${s.deviceLabel ?? 'microphone'}, ${s.sampleRate ?? '?'} Hz`
            : s.phase === 'starting'
              ? 'Opening the microphone…'
              : 'Not listening'}
        </span>
        <LevelMeterView db={s.shownDb} clipping={s.clipping} />
      </div>
      {s.error !== null && (
        <p className="form-error" role="alert" data-testid="realtime-error">
          {s.error}
        </p>
      )}
      <div className="realtime-grid">
        <div className="card">
          <h3 className="card-title">Verdict</h3>
          <p className="verdict-label" data-testid="realtime-verdict">
            {s.verdict?.predicted_label ?? '—'}
          </p>
          {s.probabilities !== null && (
            <ProbabilityBars probabilities={s.probabilities} testId="realtime-probabilities" />
          )}
          <h3 className="card-title">Thresholds</h3>
          <div className="thresholds">
            {AUDIO_CLASSES.map((label) => (
              <label key={label}>
                {label}{' '}
                <input
                  type="number"
                  min={0}
                  max={1}
                  step={0.05}
                  defaultValue={thresholdOf(s.thresholds, label)}
                  data-testid={`threshold-${label}`}
                  onChange={(e) => {
                    const v = parseThreshold(e.target.value);
                    if (v !== null) s.setThreshold(label, v);
                  }}
                />
              </label>
            ))}
          </div>
        </div>
        <div className="card">
          <h3 className="card-title">Live signal</h3>
          <LiveWaveform peaks={s.wave} />
          <SpectrogramCanvas
            columns={s.columns}
            testId="realtime-spectrogram"
            label="Live spectrogram"
          />
        </div>
      </div>
      <div className="card">
        <h3 className="card-title">Event log</h3>
        {s.log.length === 0 ? (
          <p className="muted">No events yet.</p>
        ) : (
          <table className="event-log" data-testid="realtime-log">
            <tbody>
              {s.log.map((e) => (
                <tr key={e.id} className={e.accepted ? '' : 'below-threshold'} data-label={e.label}>
                  <td>{clockTime(e.timestamp)}</td>
                  <td>{e.label}</td>
                  <td>{formatPercent(e.confidence)}</td>
                  <td className="muted">{e.accepted ? '' : 'below threshold'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
