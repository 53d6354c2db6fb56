// The tfjs half of a checked export, off the main thread: load the checkpoint, write the ONNX
// graph, run the probe batch through the layers model. The parent runs the onnxruntime half.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors.js';
import { readCheckpointFiles } from '../export/checkpoint-model.js';
import { exportWithReference } from './checkpoint-onnx-export.js';

const { checkpointDir } = workerData as { readonly checkpointDir: string };
const port = parentPort;
if (port) {
  try {
    const ref = await exportWithReference(await readCheckpointFiles(checkpointDir));
    port.postMessage({ ok: true, ref });
  } catch (err) {
    port.postMessage({
      ok: false,
      code: err instanceof AppError ? err.code : 'unprocessable',
      message:
        err instanceof AppError
          ? err.message
          : `the checkpoint could not be exported: ${(err as Error).message}`,
    });
  }
}
