import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `<name>.js` beside the calling module (from dist), or `<name>.ts` from
 * sources (vitest, tsx): Node 20 ignores `--import tsx` in a Worker's execArgv ("Unknown file
 * extension .ts", checked on 20.20), so a tiny eval'd bootstrap registers tsx's loader inside the
 * thread, then imports the entry.
 */
export function spawnWorker(base: string, name: string, workerData: unknown): Worker {
  if (!base.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, base), { workerData });
  const entry = new URL(`./${name}.ts`, base).href;
  const tsxApi = resolveTsxApi();
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** tsx's ESM API as a file URL, so the bootstrap does not depend on the process's cwd. */
function resolveTsxApi(): string {
  try {
    return import.meta.resolve('tsx/esm/api');
  } catch {
    return 'tsx/esm/api';
  }
}
