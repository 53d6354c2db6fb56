import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import { liveXRange, liveYRange, type LiveCurveData } from '../lib/live-curves.js';

interface LiveCurveProps {
  readonly data: LiveCurveData;
  readonly yTitle: string;
  readonly percent: boolean;
  /** The run's planned epochs: the x axis spans all of them, so the curve visibly fills it. */
  readonly plannedEpochs: number;
  readonly testId: string;
  readonly ariaLabel: string;
}

const HEIGHT = 260;
const EPOCH_STEPS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000];

function aligned(data: LiveCurveData): uPlot.AlignedData {
  const ys = data.series.map((s) => [...s.values]);
  return [[...data.epochs], ...ys, ...(data.best === null ? [] : [[...data.best]])];
}

function formatY(percent: boolean) {
  return (_u: uPlot, splits: number[]) =>
    splits.map((v) => (percent ? `${Math.round(v * 100)} %` : String(Number(v.toPrecision(3)))));
}

function options(current: () => LiveCurveProps, width: number): uPlot.Options {
  const { data, percent, plannedEpochs, yTitle } = current();
  const lines: uPlot.Series[] = data.series.map((s) => ({
    label: s.label,
    stroke: s.color,
    width: 2,
    dash: s.dashed ? [6, 4] : undefined,
    spanGaps: true,
    points: { show: true, size: 6, fill: s.color, stroke: s.color },
  }));
  const best: uPlot.Series[] =
    data.best === null
      ? []
      : [
          {
            label: 'Best checkpoint',
            stroke: '#059669',
            width: 0,
            paths: () => null,
            points: { show: true, size: 14, width: 2, stroke: '#059669', fill: 'rgba(0,0,0,0)' },
          },
        ];
  return {
    width,
    height: HEIGHT,
    series: [{ label: 'Epoch' }, ...lines, ...best],
    scales: {
      x: { time: false, range: () => [...liveXRange(plannedEpochs)] as [number, number] },
      // Read at each redraw: the data grows while the options stay.
      y: { range: () => [...liveYRange(current().data, percent)] as [number, number] },
    },
    axes: [
      {
        label: 'Epoch',
        stroke: '#374151',
        grid: { stroke: '#f0f1f3' },
        // Epochs are whole: ticks step by whole numbers and never read "1.5".
        incrs: EPOCH_STEPS,
        values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')),
      },
      { label: yTitle, stroke: '#374151', grid: { stroke: '#e5e7eb' }, values: formatY(percent) },
    ],
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
  };
}

/**
 * A streaming curve drawn with uPlot: a few tens of kilobytes that start at once, so the first
 * epoch's point shows while the run trains, where the rich plotting library would still be loading.
 * The chart is rebuilt only when its series or axes change shape; each new epoch is one `setData`.
 */
export function LiveCurve(props: LiveCurveProps) {
  const { data, percent, plannedEpochs, testId, ariaLabel } = props;
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(props);
  // Declared first, so the effects below read this render's props.
  useEffect(() => {
    latest.current = props;
  });
  const shape = `${data.series.map((s) => s.name).join(',')}|${data.best !== null}|${percent}|${plannedEpochs}`;

  useEffect(() => {
    const el = host.current;
    if (el === null) return;
    const u = new uPlot(
      options(() => latest.current, Math.max(200, el.clientWidth)),
      aligned(latest.current.data),
      el,
    );
    plot.current = u;
    const observer = new ResizeObserver(() => {
      u.setSize({ width: Math.max(200, el.clientWidth), height: HEIGHT });
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [shape]);

  useEffect(() => {
    // The y range is a function of the data, so setData rescales it.
    plot.current?.setData(aligned(data));
  }, [data]);

  return (
    <div
      ref={host}
      className="live-curve"
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      data-points={data.points}
    />
  );
}
