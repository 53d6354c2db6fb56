import { useEffect, useMemo } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { PlotPanel } from '../../components/plot-panel.js';
import { compactLayout, confusionTrace, f1Traces } from '../../lib/audio/audio-traces.js';
import { VOTE } from '../../lib/audio/performance.js';
import { formatPercent } from '../../lib/format.js';
import { useAudioAnalyticsStore } from '../../stores/audio-analytics-store.js';
import { useAudioModelStore } from '../../stores/audio-model-store.js';
import { NoModel } from './no-model.js';

const fmt = (v: number): string => v.toFixed(3);

/** Analytics: per-family metrics and confusion matrices, and how often the families agree. */
export function AudioAnalyticsScreen() {
  const model = useAudioModelStore((s) => s.state);
  const loadModel = useAudioModelStore((s) => s.load);
  const { performance, loading, error, load } = useAudioAnalyticsStore();
  useEffect(() => {
    void loadModel();
  }, [loadModel]);
  // Asked only once models exist: before, the endpoint answers 404 and the screen says so.
  useEffect(() => {
    if (model === 'ready') void load();
  }, [model, load]);

  const f1 = useMemo(() => (performance ? f1Traces(performance.families) : []), [performance]);
  const barLayout = useMemo(
    () => compactLayout(240, { barmode: 'group', yaxis: { range: [0, 1] } }),
    [],
  );
  const cmLayout = useMemo(() => compactLayout(260, { margin: { l: 60, r: 8, t: 8, b: 40 } }), []);

  if (model === 'none') {
    return (
      <section className="audio-screen" data-testid="audio-analytics">
        <NoModel what="Model analytics" />
      </section>
    );
  }
  return (
    <section className="audio-screen" data-testid="audio-analytics">
      {loading && <p className="muted">Loading the metrics…</p>}
      {error !== null && (
        <EmptyState title="The metrics could not be loaded" tone="error" testId="analytics-error">
          <p>{error}</p>
        </EmptyState>
      )}
      {performance !== null && (
        <>
          <div className="card">
            <h3 className="card-title">Accuracy and agreement</h3>
            <p className="muted" data-testid="analytics-basis">
              On {performance.clips} clip{performance.clips === 1 ? '' : 's'} of the{' '}
              {performance.evaluatedOn === 'test' ? 'test' : 'validation'} split, trained{' '}
              {new Date(performance.trainedAt).toLocaleString()}.
            </p>
            <ul className="votes" data-testid="analytics-accuracy">
              {performance.families.map((f) => (
                <li key={f.family} className="vote" data-family={f.family}>
                  <span className="vote-family">{f.family}</span>
                  <span className="vote-label">{formatPercent(f.accuracy)}</span>
                  <span className="muted">
                    {f.weight === null ? 'weighted vote' : `weight ${f.weight.toFixed(2)}`}
                  </span>
                </li>
              ))}
              {performance.agreement.map((a) => (
                <li key={a.name} className="vote" data-testid="analytics-agreement">
                  <span className="vote-family">Agreement: {a.name}</span>
                  <span className="vote-label">{formatPercent(a.value)}</span>
                </li>
              ))}
            </ul>
            <PlotPanel
              traces={f1}
              layout={barLayout}
              testId="analytics-f1"
              ariaLabel="F1 per class and family"
            />
          </div>
          <div className="realtime-grid">
            {performance.families.map((f) => (
              <div className="card" key={f.family} data-testid={`analytics-family-${f.family}`}>
                <h3 className="card-title">
                  {f.family === VOTE ? 'The vote' : f.family} · macro F1 {fmt(f.macroF1)}
                </h3>
                <table className="metric-table">
                  <thead>
                    <tr>
                      <th>class</th>
                      <th>precision</th>
                      <th>recall</th>
                      <th>F1</th>
                      <th>clips</th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.perClass.map((c) => (
                      <tr key={c.label}>
                        <td>{c.label}</td>
                        <td>{fmt(c.precision)}</td>
                        <td>{fmt(c.recall)}</td>
                        <td>{fmt(c.f1)}</td>
                        <td>{c.support}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                <PlotPanel
                  traces={[confusionTrace(performance.classes, f.confusion)]}
                  layout={cmLayout}
                  testId={`analytics-confusion-${f.family}`}
                  ariaLabel={`Confusion matrix of ${f.family}`}
                />
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
