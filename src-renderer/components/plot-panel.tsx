import { useEffect, useRef, useState } from 'react';
import type PlotlyModule from 'plotly.js-dist-min';
import type { PlotLayout, PlotTrace } from '../lib/plot-types.js';

type Plotly = typeof PlotlyModule;

// Plotly is ~4.8 MB: loaded on first use, in its own chunk, once for the whole app.
let plotlyPromise: Promise<Plotly> | null = null;
function loadPlotly(): Promise<Plotly> {
  plotlyPromise ??= import('plotly.js-dist-min').then((m) => m.default);
  return plotlyPromise;
}

/**
 * Starts loading plotly once the page is idle after start-up, so the first rich plot a person opens
 * is drawn at once instead of after the library's seconds-long start.
 */
export function preloadPlotlyWhenIdle(): void {
  const load = (): void => void loadPlotly().catch(() => undefined);
  if (typeof window.requestIdleCallback === 'function') window.requestIdleCallback(load);
  else window.setTimeout(load, 1000);
}

const CONFIG = { displayModeBar: false, responsive: false, displaylogo: false } as const;

interface PlotPanelProps {
  readonly traces: readonly PlotTrace[];
  readonly layout: PlotLayout;
  readonly testId?: string;
  readonly ariaLabel: string;
  /** A click on a data point (a heatmap cell: its column `x` and row `y`). */
  readonly onPointClick?: (point: { readonly x: unknown; readonly y: unknown }) => void;
}

/**
 * The one component that draws plots. Traces come from pure builders; this only hands them to
 * `Plotly.react` (which diffs, so updates are cheap), follows the container's size and purges the
 * plot on unmount so no listeners or WebGL contexts leak.
 */
export function PlotPanel({ traces, layout, testId, ariaLabel, onPointClick }: PlotPanelProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [plotly, setPlotly] = useState<Plotly | null>(null);
  const [failed, setFailed] = useState(false);
  // The latest handler, read at click time: the listener is bound once per plot.
  const onClick = useRef(onPointClick);
  const bound = useRef(false);
  useEffect(() => {
    onClick.current = onPointClick;
  }, [onPointClick]);

  useEffect(() => {
    let alive = true;
    loadPlotly().then(
      (p) => alive && setPlotly(p),
      () => alive && setFailed(true),
    );
    return () => {
      alive = false;
    };
  }, []);

  useEffect(() => {
    const el = ref.current;
    if (plotly === null || el === null) return;
    el.dataset.plotReady = 'false';
    void plotly.react(el, traces, layout, CONFIG).then((plotted) => {
      if (!bound.current) {
        bound.current = true;
        plotted.on('plotly_click', (e) => {
          const point = e.points[0];
          if (point !== undefined) onClick.current?.(point);
        });
      }
      el.dataset.plotReady = 'true';
    });
  }, [plotly, traces, layout]);

  useEffect(() => {
    const el = ref.current;
    if (plotly === null || el === null) return;
    const observer = new ResizeObserver(() => void plotly.Plots.resize(el));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plotly.purge(el);
      bound.current = false;
    };
  }, [plotly]);

  if (failed) return <div className="plot-error">The chart could not be loaded.</div>;
  return (
    <div ref={ref} className="plot-panel" role="img" aria-label={ariaLabel} data-testid={testId} />
  );
}
