// plotly.js-dist-min ships no types; this declares only what <PlotPanel> calls.
declare module 'plotly.js-dist-min' {
  /** A plotted element: plotly adds an event emitter to it. */
  interface PlotlyElement extends HTMLElement {
    on(
      event: 'plotly_click',
      listener: (e: {
        readonly points: readonly { readonly x: unknown; readonly y: unknown }[];
      }) => void,
    ): void;
  }
  interface PlotlyStatic {
    react(
      root: HTMLElement,
      data: readonly object[],
      layout?: object,
      config?: object,
    ): Promise<PlotlyElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): Promise<void> | void };
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}
