import { streams } from '../../src-shared/contract/streams.js';
import { Run, RunEvent } from '../../src-shared/contract/training.js';
import { streamPath } from './build-request.js';

/** A run in one of these states gets no more events until it is resumed (a new subscription). */
const SETTLED = new Set(['completed', 'failed', 'stopped', 'interrupted']);
const EVENT_TYPES = ['status', 'progress', 'epoch', 'log'] as const;

export interface RunStreamOptions {
  /** Origin (and optional prefix) of the workstation server; '' means the page's own origin. */
  readonly baseUrl: string;
  readonly pollIntervalMs: number;
  /** `GET …/runs/:run_id` through the client, for the polling fallback. */
  readonly getRun: (projectId: string, runId: string) => Promise<unknown>;
}

/**
 * Live events of one run over SSE (`GET /api/training/:project_id/runs/:run_id/stream`), each
 * checked against the contract's RunEvent. When the stream breaks (server restarted, proxy dropped
 * it) it falls back to polling the run and reports it as `status` events, so a chart never freezes
 * on a run that actually moved on. Ends by itself once the run settles; returns unsubscribe.
 */
export function subscribeRunOverHttp(
  options: RunStreamOptions,
  projectId: string,
  runId: string,
  onEvent: (event: RunEvent) => void,
): () => void {
  let stopped = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const stop = (): void => {
    stopped = true;
    source?.close();
    source = null;
    if (timer !== undefined) clearTimeout(timer);
  };
  const deliver = (event: RunEvent): void => {
    if (stopped) return;
    onEvent(event);
    if (event.type === 'status' && SETTLED.has(event.run.status)) stop();
  };
  const poll = async (): Promise<void> => {
    if (stopped) return;
    try {
      const run = Run.safeParse(await options.getRun(projectId, runId));
      if (run.success) deliver({ type: 'status', run: run.data });
    } catch {
      // A transient failure: try again on the next tick.
    }
    if (!stopped) timer = setTimeout(() => void poll(), options.pollIntervalMs);
  };

  const url =
    options.baseUrl + streamPath(streams.runEvents, { project_id: projectId, run_id: runId });
  source = new EventSource(url);
  const onMessage = (ev: MessageEvent<string>): void => {
    let data: unknown;
    try {
      data = JSON.parse(ev.data);
    } catch {
      return;
    }
    const parsed = RunEvent.safeParse(data);
    if (parsed.success) deliver(parsed.data);
  };
  for (const type of EVENT_TYPES) source.addEventListener(type, onMessage);
  source.onerror = () => {
    if (stopped) return;
    source?.close();
    source = null;
    void poll();
  };
  return stop;
}
