import type { HeatmapTrace, PlotLayout } from './plot-types.js';

/**
 * The confusion matrix as a plotly heatmap: rows are the true class (top to bottom in class
 * order), columns the predicted class. Colour is the share of the row (recall per cell), so a
 * rare class is as readable as a common one; each cell shows its count and share.
 */
export function confusionHeatmap(
  classes: readonly string[],
  matrix: readonly (readonly number[])[],
): { trace: HeatmapTrace; layout: PlotLayout } {
  const shares = matrix.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => (total > 0 ? v / total : 0));
  });
  const text = matrix.map((row, i) =>
    row.map((v, j) => `${v}<br>${Math.round(((shares[i] as number[])[j] as number) * 100)}%`),
  );
  return {
    trace: {
      type: 'heatmap',
      x: [...classes],
      y: [...classes],
      z: shares,
      text,
      texttemplate: '%{text}',
      colorscale: [
        [0, '#f8fafc'],
        [1, '#1d4ed8'],
      ],
      zmin: 0,
      zmax: 1,
      showscale: false,
      hovertemplate: 'true %{y}<br>predicted %{x}<br>%{text}<extra></extra>',
    },
    layout: {
      height: Math.max(260, 60 + 44 * classes.length),
      margin: { l: 110, r: 20, t: 20, b: 90 },
      xaxis: { title: { text: 'Predicted' }, side: 'bottom', type: 'category' },
      // Row 0 at the top, as confusion matrices are read.
      yaxis: { title: { text: 'True' }, autorange: 'reversed', type: 'category' },
    },
  };
}

/** A confusion-matrix cell: the items of one true class given one predicted class. */
export interface EvalCell {
  readonly trueClass: string;
  readonly predictedClass: string;
}

/** The results query a clicked cell opens: that true class given that predicted class. */
export function cellQuery(
  trueClass: string,
  predictedClass: string,
): { filter_class: string; filter_predicted: string } {
  return { filter_class: trueClass, filter_predicted: predictedClass };
}
