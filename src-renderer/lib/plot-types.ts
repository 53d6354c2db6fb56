/**
 * The small part of plotly's figure format the app builds. Trace builders return these plain
 * objects (pure, testable); <PlotPanel> hands them to Plotly unchanged.
 */
export interface BarTrace {
  readonly type: 'bar';
  readonly name: string;
  readonly x: readonly string[];
  readonly y: readonly number[];
  readonly marker: { readonly color: string };
  readonly hovertemplate?: string;
  readonly text?: readonly string[];
  readonly textposition?: 'inside' | 'none' | 'auto';
}

export type PlotTrace = BarTrace;

export interface PlotLayout {
  readonly barmode?: 'stack' | 'group';
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
}
