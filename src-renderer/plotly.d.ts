// plotly.js-dist-min ships no types; this declares only what <PlotPanel> calls.
declare module 'plotly.js-dist-min' {
  interface PlotlyStatic {
    react(
      root: HTMLElement,
      data: readonly object[],
      layout?: object,
      config?: object,
    ): Promise<HTMLElement>;
    purge(root: HTMLElement): void;
    Plots: { resize(root: HTMLElement): Promise<void> | void };
  }
  const Plotly: PlotlyStatic;
  export default Plotly;
}
