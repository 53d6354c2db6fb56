/**
 * The small part of plotly's figure format the app builds. Trace builders return these plain
 * objects (pure, testable); <PlotPanel> hands them to Plotly unchanged.
 */
export interface BarTrace {
  readonly type: 'bar';
  readonly name: string;
  /** Categories, or numbers on a linear axis (histogram bins by their centres). */
  readonly x: readonly string[] | readonly number[];
  readonly y: readonly number[];
  readonly marker: { readonly color: string };
  readonly hovertemplate?: string;
  readonly text?: readonly string[];
  readonly textposition?: 'inside' | 'none' | 'auto';
}

/** A line per series over epochs (training curves). `null` leaves a gap (no value that epoch). */
export interface ScatterTrace {
  readonly type: 'scatter';
  readonly mode: 'lines' | 'markers' | 'lines+markers';
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly (number | null)[];
  readonly line?: {
    readonly color: string;
    readonly width?: number;
    readonly dash?: 'solid' | 'dash' | 'dot';
  };
  readonly marker?: {
    readonly color: string;
    readonly size?: number;
    readonly symbol?: string;
    readonly line?: { readonly color: string; readonly width: number };
  };
  readonly hovertemplate?: string;
  readonly showlegend?: boolean;
}

/** A matrix of cells (confusion matrices): z[row][column], rows along y. */
export interface HeatmapTrace {
  readonly type: 'heatmap';
  readonly x: readonly string[];
  readonly y: readonly string[];
  readonly z: readonly (readonly number[])[];
  /** Shown in each cell and in its hover. */
  readonly text?: readonly (readonly string[])[];
  readonly texttemplate?: string;
  readonly colorscale?: string | readonly (readonly [number, string])[];
  readonly zmin?: number;
  readonly zmax?: number;
  readonly showscale?: boolean;
  readonly hovertemplate?: string;
}

export type PlotTrace = BarTrace | ScatterTrace | HeatmapTrace;

export interface PlotLayout {
  readonly barmode?: 'stack' | 'group';
  readonly bargap?: number;
  readonly height?: number;
  readonly margin?: {
    readonly l: number;
    readonly r: number;
    readonly t: number;
    readonly b: number;
  };
  readonly xaxis?: Readonly<Record<string, unknown>>;
  readonly yaxis?: Readonly<Record<string, unknown>>;
  readonly legend?: Readonly<Record<string, unknown>>;
  readonly font?: Readonly<Record<string, unknown>>;
  readonly paper_bgcolor?: string;
  readonly plot_bgcolor?: string;
  readonly showlegend?: boolean;
  readonly hovermode?: 'x unified' | 'closest' | false;
  /** Plotly keeps zoom and legend toggles across `react` calls while this value stays the same. */
  readonly uirevision?: string;
}
