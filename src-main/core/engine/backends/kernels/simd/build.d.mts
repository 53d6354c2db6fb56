// Types for build.mjs, so the test that re-assembles the modules can import it.
export declare const MODULES: readonly (readonly [wat: string, ts: string, stem: string])[];
export interface AssembledModule {
  readonly wat: string;
  readonly ts: string;
  readonly stem: string;
  readonly relaxed: Buffer;
  readonly plain: Buffer;
  /** The generated TypeScript file's text. */
  readonly source: string;
}
export declare function assembleModules(): AssembledModule[];
