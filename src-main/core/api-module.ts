import type { OperationDef } from '../../src-shared/contract/operation.js';
import { operations } from '../../src-shared/contract/operations.js';
import type { StreamDef } from '../../src-shared/contract/stream.js';
import { streams } from '../../src-shared/contract/streams.js';
import type { Job, JobStatus } from '../../src-shared/contract/jobs.js';
import type { RunEvent, RunStatus } from '../../src-shared/contract/training.js';
import type { Workstation } from './services/create-workstation.js';

/**
 * What the adapters (HTTP, IPC, realtime) serve: a table of operations and streams from the
 * contract and the core functions behind them. The workstation is one module; a new family is
 * another (its contract file and its service), and nothing else needs writing.
 */
export interface ApiModule {
  readonly operations: Readonly<Record<string, OperationDef>>;
  /** One per operation; the input is the contract's parsed input (checked at run time). */
  readonly handlers: Readonly<Record<string, (input: never) => Promise<unknown>>>;
  readonly streams?: Readonly<Record<string, StreamDef>>;
  readonly streamHandlers?: Readonly<Record<string, StreamHandler>>;
}

/** An SSE stream of something that ends: the state now, then every event until the last. */
export interface SseHandler {
  readonly kind: 'sse';
  subscribe(params: never, listener: (event: unknown) => void): () => void;
  /** The first event; throws (not_found, …) before anything is sent. */
  current(params: never): Promise<unknown>;
  ends(event: never): boolean;
  /** The SSE `event:` name of one event. */
  eventName(event: never): string;
}

/** One open WebSocket as a handler sees it. */
export interface WsConnection {
  send(message: unknown): void;
  close(code?: number, reason?: string): void;
}

export interface WsHandler {
  readonly kind: 'ws';
  /** Called once the socket is open; throwing closes it with the error's message. */
  open(
    params: never,
    conn: WsConnection,
  ): Promise<{ message(msg: never): void | Promise<void>; close(): void }>;
}

/** One Socket.IO client as a handler sees it. */
export interface SocketIoConnection {
  readonly id: string;
  emit(event: string, data: unknown): void;
  disconnect(): void;
}

export interface SocketIoHandler {
  readonly kind: 'socket.io';
  connect(socket: SocketIoConnection): {
    readonly on: Readonly<Record<string, (data: never) => void | Promise<void>>>;
    disconnect?(): void;
  };
}

export type StreamHandler = SseHandler | WsHandler | SocketIoHandler;

const TERMINAL_JOB: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);
/** A run in one of these states gets no more events until it is resumed (a new stream then). */
const SETTLED_RUN: ReadonlySet<RunStatus> = new Set([
  'completed',
  'failed',
  'stopped',
  'interrupted',
]);

export const isTerminalJob = (job: Job): boolean => TERMINAL_JOB.has(job.status);
const endsRun = (e: RunEvent): boolean => e.type === 'status' && SETTLED_RUN.has(e.run.status);

/** The workstation's own operations (every family served today) and streams. */
export function workstationModule(ws: Workstation): ApiModule {
  const jobEvents: SseHandler = {
    kind: 'sse',
    subscribe: (p: { job_id: string }, listener: (job: Job) => void) =>
      ws.onJob(p.job_id, listener),
    current: (p: { job_id: string }) => ws.ops.getJob(p),
    ends: isTerminalJob,
    eventName: (job: Job) => (isTerminalJob(job) ? 'done' : 'progress'),
  };
  const runEvents: SseHandler = {
    kind: 'sse',
    subscribe: (p: { run_id: string }, listener: (e: RunEvent) => void) =>
      ws.onRun(p.run_id, listener),
    current: async (p: { project_id: string; run_id: string }): Promise<RunEvent> => ({
      type: 'status',
      run: await ws.ops.getRun(p),
    }),
    ends: endsRun,
    eventName: (e: RunEvent) => e.type,
  };
  return {
    operations,
    handlers: ws.ops,
    streams,
    streamHandlers: { jobEvents, runEvents, audioStream: ws.audioLive.handler },
  };
}
