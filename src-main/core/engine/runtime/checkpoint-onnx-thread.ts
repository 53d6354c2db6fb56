import { Worker } from 'node:worker_threads';
import type { ErrorCode } from '../../../../src-shared/contract/common.js';
import { AppError } from '../../errors.js';
import { type CheckedOnnx, checkParity, type ExportWithReference } from './checkpoint-onnx.js';

type Reply =
  | { readonly ok: true; readonly ref: ExportWithReference }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

/** checkpoint-onnx-worker beside this file (`.ts` through tsx when running from sources). */
function spawn(checkpointDir: string): Worker {
  const workerData = { checkpointDir };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./checkpoint-onnx-worker.js', import.meta.url), { workerData });
  }
  const entry = new URL('./checkpoint-onnx-worker.ts', import.meta.url).href;
  let tsxApi = 'tsx/esm/api';
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    /* fall back to a bare specifier */
  }
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/**
 * A checked export whose tfjs half (loading the model, building the graph, the reference
 * prediction: seconds for a large model) runs in a thread of its own, so the API and the UI stay
 * responsive; onnxruntime's half runs here, on its own thread pool.
 */
export async function exportCheckedOnnxInThread(checkpointDir: string): Promise<CheckedOnnx> {
  const worker = spawn(checkpointDir);
  try {
    const reply = await new Promise<Reply>((resolve, reject) => {
      worker.once('message', (m: Reply) => resolve(m));
      worker.once('error', (err) =>
        reject(new AppError('unprocessable', `the ONNX export failed: ${err.message}`)),
      );
      worker.once('exit', (code) =>
        reject(new AppError('unprocessable', `the ONNX export stopped (exit code ${code})`)),
      );
    });
    if (!reply.ok) throw new AppError(reply.code, reply.message);
    return await checkParity(reply.ref);
  } finally {
    await worker.terminate();
  }
}
