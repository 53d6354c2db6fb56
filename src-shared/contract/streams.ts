import { audioStreamClientEvents, audioStreamServerEvents } from './audio-stream.js';
import { audioPortal } from './families/audio-portal.js';
import { trainingPlatform } from './families/training-platform.js';
import { Job, JobIdParams } from './jobs.js';
import type { StreamDef } from './stream.js';
import { RunEvent, RunParams } from './training.js';

/** Every family's realtime streams, one table (a family adds its own entries). */
export const streams = {
  jobEvents: {
    kind: 'sse',
    family: trainingPlatform,
    path: '/api/jobs/:job_id/events',
    summary: 'Job progress as server-sent events (`progress`, then `done`; data is the Job JSON)',
    tag: 'Jobs',
    params: JobIdParams,
    event: Job,
  },
  runEvents: {
    kind: 'sse',
    family: trainingPlatform,
    path: '/api/training/:project_id/runs/:run_id/stream',
    summary: 'SSE event stream of a run',
    description:
      'text/event-stream. First a `status` event with the run as it is now; then `status` (the ' +
      'Run, on every state change), `progress` (epoch, batch, samples/s, ETA), `epoch` (one ' +
      "completed epoch's metrics, Keras names) and `log` events; each `data:` line is one " +
      'RunEvent as JSON (the schema below). Comment lines are heartbeats. The server closes the ' +
      'stream after the status that settles the run (completed, failed, stopped, interrupted); a ' +
      'resumed run is followed with a new request.',
    tag: 'Training',
    params: RunParams,
    event: RunEvent,
  },
  audioStream: {
    kind: 'socket.io',
    family: audioPortal,
    namespace: '/',
    summary:
      'Live classification: `start_stream` (optional `{thresholds}`), `audio_data` chunks ' +
      '(`{audio, sampleRate}`, any rate), `stop_stream`; the server answers `stream_started`, ' +
      '`stream_stopped`, one `classification_result` per acoustic event (again only if its class ' +
      'changes), `training_update` to every client, and `stream_error` for refused input.',
    clientEvents: audioStreamClientEvents,
    serverEvents: audioStreamServerEvents,
    errorEvent: 'stream_error',
  },
} as const satisfies Record<string, StreamDef>;

export type Streams = typeof streams;
export type StreamName = keyof Streams;
