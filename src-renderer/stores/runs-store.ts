import { create } from 'zustand';
import type { Run, RunEvent } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import { applyRunEvent, isActive } from '../lib/run-state.js';
import type { LoadStatus } from './projects-store.js';
import { useToastStore } from './toast-store.js';

export interface RunLogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly message: string;
  /** Arrival time (ms since epoch): the stream's log events carry none. */
  readonly at: number;
}

export type RunAction = 'starting' | 'stopping' | 'resuming' | 'deleting';

interface RunsState {
  readonly projectId: string | null;
  /** The project's runs, newest first, kept live while they train. */
  readonly runs: readonly Run[];
  readonly status: LoadStatus;
  readonly error: string | null;
  /** The run open in the run view, live. */
  readonly runId: string | null;
  readonly run: Run | null;
  readonly runStatus: LoadStatus;
  readonly runError: string | null;
  /** The open run's log lines since it was opened (newest last, at most MAX_LOG_LINES). */
  readonly logs: readonly RunLogLine[];
  /** A request in flight per run, so its button shows it and cannot be pressed twice. */
  readonly busy: Readonly<Record<string, RunAction>>;

  open(projectId: string): Promise<void>;
  openRun(projectId: string, runId: string): Promise<void>;
  /** Starts a run of an experiment; resolves to its id, or null when refused (toasted). */
  start(projectId: string, expId: string): Promise<string | null>;
  stop(runId: string): Promise<void>;
  resume(runId: string): Promise<void>;
  remove(runId: string): Promise<boolean>;
  /** Gives the open run a name of its own; blank gives back its default. False when refused. */
  rename(runId: string, name: string): Promise<boolean>;
  /** Drops every live subscription (the training screens are gone). */
  leave(): void;
}

const MAX_LOG_LINES = 200;
const toasts = () => useToastStore.getState();
/** One live subscription per run, shared by the list and the run view. */
const following = new Map<string, () => void>();

export const useRunsStore = create<RunsState>()((set, get) => {
  function setBusy(runId: string, action: RunAction | null): void {
    const busy = { ...get().busy };
    if (action === null) delete busy[runId];
    else busy[runId] = action;
    set({ busy });
  }

  /** Puts a fresh copy of a run into the list (newest first) and the view. */
  function upsert(run: Run): void {
    const { runs } = get();
    const exists = runs.some((r) => r.run_id === run.run_id);
    set({
      runs: exists ? runs.map((r) => (r.run_id === run.run_id ? run : r)) : [run, ...runs],
      ...(get().runId === run.run_id ? { run } : {}),
    });
  }

  function onEvent(projectId: string, runId: string, event: RunEvent): void {
    if (get().projectId !== projectId) return;
    if (event.type === 'log') {
      if (get().runId === runId) {
        const line = { level: event.level, message: event.message, at: Date.now() };
        set({ logs: [...get().logs, line].slice(-MAX_LOG_LINES) });
      }
      return;
    }
    const { runs, run } = get();
    set({
      runs: runs.map((r) => (r.run_id === runId ? applyRunEvent(r, event) : r)),
      ...(run !== null && run.run_id === runId ? { run: applyRunEvent(run, event) } : {}),
    });
    // Nothing more comes once the run settles; a resume subscribes again.
    if (event.type === 'status' && !isActive(event.run.status)) unfollow(runId);
  }

  function unfollow(runId: string): void {
    following.get(runId)?.();
    following.delete(runId);
  }

  function follow(projectId: string, runId: string): void {
    if (following.has(runId)) return;
    following.set(
      runId,
      client.subscribeRun(projectId, runId, (event) => onEvent(projectId, runId, event)),
    );
  }

  function unfollowAll(): void {
    for (const stop of following.values()) stop();
    following.clear();
  }

  async function fetchRun(projectId: string, runId: string): Promise<Run | null> {
    try {
      const run = await client.getRun({ project_id: projectId, run_id: runId });
      if (get().projectId === projectId) upsert(run);
      return run;
    } catch {
      return null;
    }
  }

  return {
    projectId: null,
    runs: [],
    status: 'idle',
    error: null,
    runId: null,
    run: null,
    runStatus: 'idle',
    runError: null,
    logs: [],
    busy: {},

    async open(projectId) {
      if (get().projectId !== projectId) {
        unfollowAll();
        set({ projectId, runs: [], status: 'loading', error: null });
      }
      try {
        const runs = await client.listRuns({ project_id: projectId });
        if (get().projectId !== projectId) return;
        set({ runs, status: 'ready', error: null });
        for (const r of runs) if (isActive(r.status)) follow(projectId, r.run_id);
      } catch (e) {
        if (get().projectId === projectId) set({ status: 'error', error: errorMessage(e) });
      }
    },

    async openRun(projectId, runId) {
      if (get().projectId !== projectId) {
        unfollowAll();
        set({ projectId, runs: [], status: 'idle', error: null });
      }
      if (get().runId !== runId) {
        set({ runId, run: null, runStatus: 'loading', runError: null, logs: [] });
      }
      try {
        // Subscribe first: an epoch that ends between the fetch and the subscription is not lost
        // (the stream opens with the run's status, and epoch rows merge by number).
        follow(projectId, runId);
        const run = await client.getRun({ project_id: projectId, run_id: runId });
        if (get().runId !== runId) return;
        set({ run, runStatus: 'ready', runError: null });
        upsert(run);
        if (!isActive(run.status)) unfollow(runId);
      } catch (e) {
        if (get().runId === runId) set({ runStatus: 'error', runError: errorMessage(e) });
      }
    },

    async start(projectId, expId) {
      setBusy(expId, 'starting');
      try {
        const started = await client.startRun({ project_id: projectId, exp_id: expId });
        await fetchRun(projectId, started.run_id);
        follow(projectId, started.run_id);
        toasts().push(
          'success',
          started.queue_position === null
            ? `Run ${started.run_id} started`
            : `Run queued (#${started.queue_position}): another run is training`,
        );
        return started.run_id;
      } catch (e) {
        toasts().pushError('Could not start a run', e);
        return null;
      } finally {
        setBusy(expId, null);
      }
    },

    async stop(runId) {
      const projectId = get().projectId;
      if (projectId === null) return;
      setBusy(runId, 'stopping');
      try {
        // The reply may still say "running": the trainer finishes its batch and checkpoints
        // first; the stream then reports "stopped".
        upsert(await client.stopRun({ project_id: projectId, run_id: runId }));
      } catch (e) {
        toasts().pushError('Could not stop the run', e);
      } finally {
        setBusy(runId, null);
      }
    },

    async resume(runId) {
      const projectId = get().projectId;
      if (projectId === null) return;
      setBusy(runId, 'resuming');
      try {
        await client.resumeRun({ project_id: projectId, run_id: runId });
        unfollow(runId);
        follow(projectId, runId);
        await fetchRun(projectId, runId);
      } catch (e) {
        toasts().pushError('Could not resume the run', e);
      } finally {
        setBusy(runId, null);
      }
    },

    async remove(runId) {
      const projectId = get().projectId;
      if (projectId === null) return false;
      setBusy(runId, 'deleting');
      try {
        await client.deleteRun({ project_id: projectId, run_id: runId });
        unfollow(runId);
        set({ runs: get().runs.filter((r) => r.run_id !== runId) });
        toasts().push('info', 'Run deleted');
        return true;
      } catch (e) {
        toasts().pushError('Could not delete the run', e);
        return false;
      } finally {
        setBusy(runId, null);
      }
    },

    async rename(runId, name) {
      const projectId = get().projectId;
      if (projectId === null) return false;
      try {
        const trimmed = name.trim();
        const run = await client.updateRun({
          project_id: projectId,
          run_id: runId,
          name: trimmed === '' ? null : trimmed,
        });
        set({
          runs: get().runs.map((r) => (r.run_id === runId ? run : r)),
          ...(get().runId === runId ? { run } : {}),
        });
        return true;
      } catch (e) {
        toasts().pushError('Could not rename the run', e);
        return false;
      }
    },

    leave() {
      unfollowAll();
    },
  };
});
