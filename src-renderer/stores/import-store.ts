import { create } from 'zustand';
import type { Job } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { rootFolderFromFilePath, stripCommonRoot } from '../lib/drop-paths.js';
import { errorMessage } from '../lib/errors.js';
import { pickedFromInput, walkEntries, type PickedFile } from '../lib/file-entries.js';
import { useDatasetStore } from './dataset-store.js';
import { useProjectsStore } from './projects-store.js';
import { useToastStore } from './toast-store.js';

export type ImportPhase =
  'idle' | 'uploading' | 'processing' | 'completed' | 'failed' | 'cancelled';

export interface UploadFile {
  readonly file: Blob;
  readonly relativePath: string;
}

interface ImportState {
  readonly projectId: string | null;
  readonly phase: ImportPhase;
  /** What is being imported, in words ("3 files", "/data/birds"). */
  readonly label: string;
  /** The job being followed, known before its first event arrives. */
  readonly jobId: string | null;
  readonly job: Job | null;
  readonly uploadSent: number;
  readonly uploadTotal: number;
  /** When the current phase began (client clock), for the time-remaining estimate. */
  readonly phaseStartedAt: number;
  readonly error: string | null;

  importLocal(projectId: string, path: string): Promise<void>;
  upload(projectId: string, files: readonly UploadFile[]): Promise<void>;
  /** Electron: one local import per dropped file or folder path, one after another. */
  importPaths(projectId: string, paths: readonly string[]): Promise<void>;
  /**
   * A drop on the Dataset screen. Electron gives each dropped file or folder a filesystem path,
   * imported in place; a browser has only the bytes, so folders are walked and uploaded.
   */
  importDrop(
    projectId: string,
    files: readonly File[],
    entries: readonly FileSystemEntry[],
  ): Promise<void>;
  /** Files from the "Choose folder…" / "Choose files…" inputs. */
  importChosen(projectId: string, files: readonly File[]): Promise<void>;
  /** Follows a job already running (e.g. started before the screen was opened). */
  attach(projectId: string, jobId: string): Promise<void>;
  cancel(): Promise<void>;
  dismiss(): void;
}

const toasts = () => useToastStore.getState();
const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);
let unsubscribe: (() => void) | null = null;

function busy(phase: ImportPhase): boolean {
  return phase === 'uploading' || phase === 'processing';
}

export const useImportStore = create<ImportState>()((set, get) => {
  /** Watches a job until it ends; resolves with its final state. */
  function follow(projectId: string, jobId: string): Promise<Job | null> {
    unsubscribe?.();
    set({ phase: 'processing', phaseStartedAt: Date.now(), jobId });
    return new Promise((resolve) => {
      unsubscribe = client.subscribeJob(jobId, (job) => {
        if (get().projectId !== projectId) return;
        set({ job });
        if (!TERMINAL.has(job.status)) return;
        unsubscribe?.();
        unsubscribe = null;
        set({ phase: job.status as ImportPhase, error: job.error });
        void useDatasetStore.getState().refresh();
        void useProjectsStore.getState().load();
        resolve(job);
      });
    });
  }

  function begin(projectId: string, phase: ImportPhase, label: string): boolean {
    if (busy(get().phase)) {
      toasts().push('info', 'An import is already running; wait for it to finish.');
      return false;
    }
    set({
      projectId,
      phase,
      label,
      jobId: null,
      job: null,
      uploadSent: 0,
      uploadTotal: 0,
      phaseStartedAt: Date.now(),
      error: null,
    });
    return true;
  }

  function uploadPicked(projectId: string, picked: readonly PickedFile[]): Promise<void> {
    if (picked.length === 0) {
      toasts().push('info', 'Nothing to import: no files found there.');
      return Promise.resolve();
    }
    const rel = stripCommonRoot(picked.map((p) => p.path));
    return get().upload(
      projectId,
      picked.map((p, i) => ({ file: p.file, relativePath: rel[i] ?? p.file.name })),
    );
  }

  function fail(e: unknown): void {
    set({ phase: 'failed', error: errorMessage(e) });
  }

  return {
    projectId: null,
    phase: 'idle',
    label: '',
    jobId: null,
    job: null,
    uploadSent: 0,
    uploadTotal: 0,
    phaseStartedAt: 0,
    error: null,

    async importLocal(projectId, path) {
      if (!begin(projectId, 'processing', path)) return;
      try {
        const started = await client.importLocal({ project_id: projectId, path });
        await follow(projectId, started.job_id);
      } catch (e) {
        fail(e);
      }
    },

    async upload(projectId, files) {
      if (files.length === 0) return;
      const label =
        files.length === 1 ? (files[0]?.relativePath ?? '1 file') : `${files.length} files`;
      if (!begin(projectId, 'uploading', label)) return;
      try {
        const started = await client.uploadFiles(projectId, files, (sent, total) => {
          if (get().projectId === projectId) set({ uploadSent: sent, uploadTotal: total });
        });
        await follow(projectId, started.job_id);
      } catch (e) {
        fail(e);
      }
    },

    async importPaths(projectId, paths) {
      for (const [i, path] of paths.entries()) {
        const label = paths.length > 1 ? `${path} (${i + 1} of ${paths.length})` : path;
        if (!begin(projectId, 'processing', label)) return;
        try {
          const started = await client.importLocal({ project_id: projectId, path });
          const job = await follow(projectId, started.job_id);
          if (job?.status !== 'completed') return;
        } catch (e) {
          fail(e);
          return;
        }
      }
    },

    async importDrop(projectId, files, entries) {
      const paths = files.map((f) => client.pathForFile(f)).filter((p): p is string => p !== null);
      if (paths.length > 0 && paths.length === files.length)
        return get().importPaths(projectId, paths);
      let picked: PickedFile[];
      try {
        // Without entries (a browser lacking webkitGetAsEntry, a scripted drop) the files
        // themselves are all there is: loose files, named by their own names.
        picked =
          entries.length > 0
            ? await walkEntries(entries)
            : files.map((file) => ({ file, path: file.name }));
      } catch (e) {
        toasts().pushError('Could not read the dropped files', e);
        return;
      }
      await uploadPicked(projectId, picked);
    },

    async importChosen(projectId, files) {
      const first = files[0];
      if (first === undefined) return;
      const firstPath = client.pathForFile(first);
      if (firstPath !== null) {
        // Electron: import the chosen folder (or files) in place instead of copying bytes over IPC.
        const root = first.webkitRelativePath
          ? rootFolderFromFilePath(firstPath, first.webkitRelativePath)
          : null;
        if (root !== null) return get().importPaths(projectId, [root]);
        const paths = files
          .map((f) => client.pathForFile(f))
          .filter((p): p is string => p !== null);
        return get().importPaths(projectId, paths);
      }
      await uploadPicked(projectId, pickedFromInput(files));
    },

    async attach(projectId, jobId) {
      if (busy(get().phase) && get().jobId === jobId) return;
      if (!begin(projectId, 'processing', 'Import in progress')) return;
      await follow(projectId, jobId);
    },

    async cancel() {
      const jobId = get().jobId;
      if (jobId === null) return;
      try {
        await client.cancelJob({ job_id: jobId });
      } catch (e) {
        toasts().pushError('Could not cancel the import', e);
      }
    },

    dismiss() {
      if (busy(get().phase)) return;
      set({ phase: 'idle', jobId: null, job: null, error: null });
    },
  };
});

export const selectImportBusy = (s: ImportState): boolean => busy(s.phase);
