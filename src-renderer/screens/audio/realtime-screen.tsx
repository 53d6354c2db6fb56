import { useEffect } from 'react';
import { clockTime } from '../../lib/audio/event-log.js';
import { formatPercent } from '../../lib/format.js';
import { useAudioModelStore } from '../../stores/audio-model-store.js';
import { useAudioRealtimeStore } from '../../stores/audio-realtime-store.js';
import { LevelMeterView } from './level-meter-view.js';
import { NoModel } from './no-model.js';
import { ProbabilityBars } from './probability-bars.js';
import { LiveWaveform } from './live-waveform.js';
import { SpectrogramCanvas } from './spectrogram-canvas.js';
import { ThresholdInputs } from './threshold-inputs.js';

/** Realtime: the microphone streamed to the server, its verdicts live. */
export function AudioRealtimeScreen() {
  const model = useAudioModelStore((s) => s.state);
  const loadModel = useAudioModelStore((s) => s.load);
  const s = useAudioRealtimeStore();
  const { loadDevices, loadSettings, stop } = s;

  useEffect(() => {
    void loadModel();
    void loadDevices();
    void loadSettings();
    // Leaving the screen releases the microphone and ends the stream.
    return () => void stop();
  }, [loadModel, loadDevices, loadSettings, stop]);

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
          <ThresholdInputs
            thresholds={s.thresholds}
            running={running}
            saving={s.savingThresholds}
            onChange={(label, value) => void s.setThreshold(label, value)}
          />
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
                  <td className="muted" data-testid="realtime-latency">
                    {e.latencyMs === null ? '' : `${Math.round(e.latencyMs)} ms after onset`}
                  </td>
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
