import { useEffect, useMemo } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { PlotPanel } from '../../components/plot-panel.js';
import { compactLayout, confusionTrace, f1Traces } from '../../lib/audio/audio-traces.js';
import { formatPercent } from '../../lib/format.js';
import { useAudioAnalyticsStore } from '../../stores/audio-analytics-store.js';
import { useAudioModelStore } from '../../stores/audio-model-store.js';
import { NoModel } from './no-model.js';

const fmt = (v: number | null): string => (v === null ? '—' : v.toFixed(3));

/** Analytics: per-family metrics and confusion matrices, and how often the families agree. */
export function AudioAnalyticsScreen() {
  const model = useAudioModelStore((s) => s.state);
  const loadModel = useAudioModelStore((s) => s.load);
  const { performance, loading, error, load } = useAudioAnalyticsStore();
  useEffect(() => {
    void loadModel();
    void load();
  }, [loadModel, load]);

  const f1 = useMemo(() => (performance ? f1Traces(performance.families) : []), [performance]);
  const barLayout = useMemo(
    () => compactLayout(240, { barmode: 'group', yaxis: { range: [0, 1] } }),
    [],
  );
  const cmLayout = useMemo(() => compactLayout(260, { margin: { l: 60, r: 8, t: 8, b: 40 } }), []);

  if (model === 'none' && (performance === null || performance.families.length === 0)) {
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
            <ul className="votes" data-testid="analytics-accuracy">
              {performance.families.map((f) => (
                <li key={f.family} className="vote" data-family={f.family}>
                  <span className="vote-family">{f.family}</span>
                  <span className="vote-label">
                    {f.accuracy === null ? '—' : formatPercent(f.accuracy)}
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
                <h3 className="card-title">{f.family}</h3>
                <table className="metric-table">
                  <thead>
                    <tr>
                      <th>class</th>
                      <th>precision</th>
                      <th>recall</th>
                      <th>F1</th>
                    </tr>
                  </thead>
                  <tbody>
                    {f.perClass.map((c) => (
                      <tr key={c.label}>
                        <td>{c.label}</td>
                        <td>{fmt(c.precision)}</td>
                        <td>{fmt(c.recall)}</td>
                        <td>{fmt(c.f1)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {f.confusion !== null && (
                  <PlotPanel
                    traces={[confusionTrace(performance.classes, f.confusion)]}
                    layout={cmLayout}
                    testId={`analytics-confusion-${f.family}`}
                    ariaLabel={`Confusion matrix of ${f.family}`}
                  />
                )}
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
