import {
  Job,
  WorkstationError,
  operations,
  streams,
  type WorkstationClient,
} from '../../src-shared/contract/index.js';
import { parseResponse, streamPath, unwrapEnvelope } from './build-request.js';
import { createOperationClient, networkError } from './operation-client.js';
import { predictOverHttp } from './predict-client.js';
import { subscribeRunOverHttp } from './run-stream.js';

export interface HttpClientOptions {
  /** Origin (and optional prefix) of the workstation server; '' means the page's own origin. */
  readonly baseUrl?: string;
  /** How often to poll a job when its event stream is lost. */
  readonly pollIntervalMs?: number;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** The browser's WorkstationClient: every contract operation over fetch, plus uploads and SSE. */
export function createHttpClient(options: HttpClientOptions = {}): WorkstationClient {
  const base = options.baseUrl ?? '';
  const pollIntervalMs = options.pollIntervalMs ?? 1000;

  // One method per contract entry, generated from the operations table; the contract types them.
  const methods = createOperationClient(operations, { baseUrl: base });

  function uploadFiles(
    projectId: string,
    files: readonly { readonly file: Blob; readonly relativePath: string }[],
    onProgress?: (sentBytes: number, totalBytes: number) => void,
  ): Promise<{ readonly job_id: string; readonly status: string }> {
    // XMLHttpRequest, not fetch: only XHR reports upload progress.
    return new Promise((resolve, reject) => {
      const form = new FormData();
      // The part's filename carries the path relative to the import root ("cat/a.png"): the
      // server takes the first folder as the class label, as for a local folder import.
      for (const f of files) form.append('files', f.file, f.relativePath);
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}/api/datasets/${encodeURIComponent(projectId)}/import/upload`);
      xhr.setRequestHeader('Accept', 'application/json');
      if (onProgress) {
        xhr.upload.onprogress = (ev) => onProgress(ev.loaded, ev.lengthComputable ? ev.total : 0);
      }
      xhr.onerror = () => reject(networkError());
      xhr.onabort = () => reject(new WorkstationError('cancelled', 'Upload cancelled'));
      xhr.onload = () => {
        let payload: unknown;
        try {
          payload = JSON.parse(xhr.responseText) as unknown;
        } catch {
          payload = undefined;
        }
        try {
          resolve(
            parseResponse('importLocal', unwrapEnvelope(payload, xhr.status)) as {
              job_id: string;
              status: string;
            },
          );
        } catch (e) {
          reject(e instanceof Error ? e : new WorkstationError('internal', String(e)));
        }
      };
      xhr.send(form);
    });
  }

  function subscribeJob(jobId: string, onEvent: (job: Job) => void): () => void {
    let stopped = false;
    let source: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const stop = (): void => {
      stopped = true;
      source?.close();
      source = null;
      if (timer !== undefined) clearTimeout(timer);
    };
    const deliver = (job: Job): void => {
      if (stopped) return;
      onEvent(job);
      if (TERMINAL.has(job.status)) stop();
    };
    // If the stream breaks (server restarted, proxy dropped it), fall back to polling so the
    // progress bar never freezes on a job that actually finished.
    const poll = async (): Promise<void> => {
      if (stopped) return;
      try {
        deliver((await methods.getJob({ job_id: jobId })) as Job);
      } catch {
        // A transient failure: try again on the next tick.
      }
      if (!stopped) timer = setTimeout(() => void poll(), pollIntervalMs);
    };

    source = new EventSource(base + streamPath(streams.jobEvents, { job_id: jobId }));
    const onMessage = (ev: MessageEvent<string>): void => {
      const parsed = Job.safeParse(JSON.parse(ev.data));
      if (parsed.success) deliver(parsed.data);
    };
    source.addEventListener('progress', onMessage);
    source.addEventListener('done', onMessage);
    source.onerror = () => {
      if (stopped) return;
      source?.close();
      source = null;
      void poll();
    };
    return stop;
  }

  // Through the generated method, so the reply is checked against the contract like any other.
  const getRun = (projectId: string, runId: string): Promise<unknown> =>
    methods.getRun({ project_id: projectId, run_id: runId });

  return {
    ...methods,
    kind: 'http',
    mediaUrl(projectId, filename, variant) {
      const folder = variant === 'file' ? 'images' : 'thumbnails';
      return `${base}/api/datasets/${encodeURIComponent(projectId)}/${folder}/${encodeURIComponent(filename)}`;
    },
    uploadFiles,
    subscribeJob,
    subscribeRun: (projectId, runId, onEvent) =>
      subscribeRunOverHttp({ baseUrl: base, pollIntervalMs, getRun }, projectId, runId, onEvent),
    pathForFile: () => null,
    predict: (projectId, runId, item, checkpoint) =>
      predictOverHttp(base, projectId, runId, item, checkpoint),
  };
}
