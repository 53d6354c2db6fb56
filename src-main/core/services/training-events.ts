import type { RunEvent } from '../../../src-shared/contract/training.js';
import type { Logger } from './logger.js';

export type RunListener = (event: RunEvent) => void;

export const runIdOf = (event: RunEvent): string =>
  event.type === 'status' ? event.run.run_id : event.run_id;

/** Fan-out of run events to subscribers (SSE streams, IPC windows). */
export class RunEvents {
  private readonly listeners = new Map<string, Set<RunListener>>();

  constructor(private readonly logger: Logger) {}

  on(runId: string, listener: RunListener): () => void {
    let set = this.listeners.get(runId);
    if (!set) {
      set = new Set();
      this.listeners.set(runId, set);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(runId);
      if (!current) return;
      current.delete(listener);
      if (current.size === 0) this.listeners.delete(runId);
    };
  }

  emit(event: RunEvent): void {
    const runId = runIdOf(event);
    const set = this.listeners.get(runId);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(event);
      } catch (err) {
        // One broken subscriber (a closed window) must not stop the run or the others.
        this.logger.warn({ err, runId }, 'run listener threw');
      }
    }
  }

  listenerCount(runId: string): number {
    return this.listeners.get(runId)?.size ?? 0;
  }
}
