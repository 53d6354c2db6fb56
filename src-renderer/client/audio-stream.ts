import { io, type Socket } from 'socket.io-client';
import {
  audioStreamServerEvents,
  type AudioChunk,
  type ClassThresholds,
} from '../../src-shared/contract/index.js';
import type { AssayBridge } from '../../src-shared/contract/ipc.js';
import {
  dispatchStreamEvent,
  type AudioStreamHandlers,
  type ClassificationResult,
  type TrainingUpdate,
} from '../lib/audio/stream-messages.js';

export type { AudioStreamHandlers, ClassificationResult, TrainingUpdate };

/**
 * The live stream of api-reference/audio-portal.md (`audioStream` in the contract's stream
 * table): `start_stream` (optional `{thresholds}`), `audio_data` `{audio, sampleRate}`,
 * `stop_stream` out; `stream_started`, `stream_stopped`, `classification_result`,
 * `stream_error`, `training_update` in. In a browser it is Socket.IO on the page's own origin; in
 * the desktop app the preload's stream bridge carries the same events over IPC.
 */

export interface AudioStreamConnection {
  /** `start_stream`; thresholds given here override the stored ones for this stream only. */
  start(thresholds?: ClassThresholds): void;
  send(message: AudioChunk): void;
  stop(): void;
  close(): void;
}

/** The name the contract's stream table (and so the desktop bridge) gives the portal's stream. */
export const AUDIO_STREAM_NAME = 'audioStream';

/** The server events this client listens to: every one the contract declares. */
const SERVER_EVENTS = Object.keys(audioStreamServerEvents);

const startPayload = (thresholds?: ClassThresholds): { thresholds?: ClassThresholds } =>
  thresholds === undefined ? {} : { thresholds };

function overIpc(
  streams: AssayBridge['streams'],
  handlers: AudioStreamHandlers,
): AudioStreamConnection {
  const session = streams.open(
    AUDIO_STREAM_NAME,
    {},
    (e) => dispatchStreamEvent(handlers, e),
    (reason) => {
      if (reason !== null) handlers.onError?.(reason);
      handlers.onDisconnect?.();
    },
  );
  const sent = (p: ReturnType<typeof session.send>): void => {
    void p.then((r) => {
      if (!r.ok) handlers.onError?.(r.error.message);
    });
  };
  return {
    start: (thresholds) =>
      sent(session.send({ event: 'start_stream', data: startPayload(thresholds) })),
    send: (message) => sent(session.send({ event: 'audio_data', data: message })),
    stop: () => sent(session.send({ event: 'stop_stream', data: {} })),
    close: () => session.close(),
  };
}

function overSocketIo(handlers: AudioStreamHandlers): AudioStreamConnection {
  // The page's own origin: the server that served the UI is the one that classifies.
  const socket: Socket = io({ transports: ['websocket', 'polling'], reconnection: true });
  for (const event of SERVER_EVENTS) {
    socket.on(event, (data: unknown) => dispatchStreamEvent(handlers, { event, data }));
  }
  socket.on('disconnect', () => handlers.onDisconnect?.());
  // Said once, not on every reconnection attempt; the socket keeps trying meanwhile.
  let told = false;
  socket.on('connect_error', () => {
    if (told) return;
    told = true;
    handlers.onError?.('The live stream of this server cannot be reached; still trying.');
  });
  socket.on('connect', () => {
    told = false;
  });
  return {
    start: (thresholds) => void socket.emit('start_stream', startPayload(thresholds)),
    send: (message) => void socket.emit('audio_data', message),
    stop: () => void socket.emit('stop_stream', {}),
    close: () => void socket.close(),
  };
}

export function connectAudioStream(handlers: AudioStreamHandlers): AudioStreamConnection {
  const streams = window.assayBridge?.streams;
  return streams !== undefined ? overIpc(streams, handlers) : overSocketIo(handlers);
}
