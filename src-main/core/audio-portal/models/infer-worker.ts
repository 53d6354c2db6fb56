/**
 * worker_threads entry that runs the portal's trained models (models/audio-models.ts starts one
 * and keeps it): tfjs stays off the main thread, and so do resampling and the front end.
 */
import { parentPort } from 'node:worker_threads';
import { selectBackend } from '../../engine/backends/index.js';
import { toModelRate } from './features.js';
import type { InferCommand, InferReply } from './infer-protocol.js';
import { loadModels, type LoadedModels } from './model-set.js';

const port = parentPort;
if (!port) throw new Error('infer-worker.ts must run in a worker thread');
const post = (m: InferReply): void => port.postMessage(m);
let backend: Promise<unknown> | null = null;
/** The model sets this thread holds, by folder; a newer set replaces the others once loaded. */
const sets = new Map<string, Promise<LoadedModels>>();

function load(dir: string): Promise<LoadedModels> {
  let p = sets.get(dir);
  if (!p) {
    backend ??= selectBackend('auto');
    p = backend.then(() => loadModels(dir));
    sets.set(dir, p);
    p.then(
      () => {
        for (const other of sets.keys()) if (other !== dir) sets.delete(other);
      },
      () => sets.delete(dir),
    );
  }
  return p;
}

let chain: Promise<void> = Promise.resolve();
port.on('message', (cmd: InferCommand) => {
  chain = chain.then(async () => {
    try {
      const models = await load(cmd.dir);
      if (cmd.type === 'load') {
        post({
          type: 'loaded',
          id: cmd.id,
          classes: models.meta.classes,
          families: models.meta.families,
        });
        return;
      }
      const j = models.judge(toModelRate(cmd.samples, cmd.sampleRate));
      post({ type: 'judged', id: cmd.id, families: j.families, vote: j.vote, events: j.events });
    } catch (err) {
      post({
        type: 'error',
        id: cmd.id,
        message: err instanceof Error ? err.message : String(err),
      });
    }
  });
});
