import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import { AppError } from '../errors.js';
import { readCheckpointFiles } from '../engine/export/checkpoint-files.js';
import {
  checkpointHash,
  exportCheckedOnnxInThread,
  FileModelRegistry,
  type ModelVersion,
} from '../engine/runtime/index.js';
import type { CheckpointName } from '../engine/trainer/checkpoint-dir.js';

/**
 * The ONNX models a run's checkpoints are served by: exported once into `<runDir>/inference/`
 * (a model registry of the run's own, so deleting the run deletes them), re-exported when the
 * checkpoint changes (a resumed run), and shared by concurrent first calls.
 */
export class TrainedModels {
  private readonly memo = new Map<string, { stamp: string; version: ModelVersion }>();
  private readonly pending = new Map<string, Promise<ModelVersion>>();

  /** The registry of one run's exports. */
  static registryOf(runDir: string): FileModelRegistry {
    // The tfjs half of the export (seconds for a large model) runs in a worker thread.
    return new FileModelRegistry(path.join(runDir, 'inference'), {
      exporter: exportCheckedOnnxInThread,
    });
  }

  /** The served version of a run's checkpoint, exporting it first when there is none yet. */
  async versionOf(
    runId: string,
    runDir: string,
    checkpointDir: string,
    checkpoint: CheckpointName,
  ): Promise<{ version: ModelVersion; exported: boolean }> {
    const key = `${runDir}:${checkpoint}`;
    // The weights file is replaced whole on every checkpoint write: its stat names its content.
    const st = await stat(path.join(checkpointDir, 'weights.bin')).catch(() => null);
    if (!st)
      throw new AppError('unprocessable', `run ${runId} has no readable ${checkpoint} checkpoint`);
    const stamp = `${st.size}:${st.mtimeMs}:${st.ino}`;
    const hit = this.memo.get(key);
    if (hit?.stamp === stamp) return { version: hit.version, exported: false };
    const running = this.pending.get(key);
    if (running) return { version: await running, exported: false };

    let exported = false;
    const work = (async () => {
      const files = await readCheckpointFiles(checkpointDir);
      const sha = checkpointHash(files);
      const registry = TrainedModels.registryOf(runDir);
      await registry.recover();
      const all = (await registry.list()).filter((v) => v.origin?.checkpoint === checkpoint);
      let version = all.find((v) => v.origin?.checkpoint_sha256 === sha);
      if (!version) {
        version = await registry.registerCheckpoint(checkpointDir, { runId, checkpoint });
        exported = true;
      }
      // Exports of an older state of this checkpoint are never served again.
      for (const old of all.filter((v) => v.id !== version.id)) {
        await registry.remove(old.id).catch(() => undefined);
      }
      this.memo.set(key, { stamp, version });
      return version;
    })();
    this.pending.set(key, work);
    try {
      return { version: await work, exported };
    } finally {
      this.pending.delete(key);
    }
  }

  /** Resolves when no export is running (before the workspace closes). */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.pending.values()]);
  }
}
