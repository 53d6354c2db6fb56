import { io, type Socket } from 'socket.io-client';
import type { StreamSession } from '../../src-shared/contract/stream-ipc.js';
import {
  dispatchStreamEvent,
  type AudioStreamHandlers,
  type ClassificationResult,
  type Incoming,
  type TrainingUpdate,
} from '../lib/audio/stream-messages.js';

export type { AudioStreamHandlers, ClassificationResult, TrainingUpdate };

/**
 * The live stream of api-reference/audio-portal.md: `start_stream`, `audio_data`
 * `{audio, sampleRate}`, `stop_stream` out; `stream_started`, `stream_stopped`,
 * `classification_result`, `stream_error`, `training_update` in. In a browser it is Socket.IO on
 * the page's own origin; in the desktop app the preload's stream bridge carries the same events
 * over IPC (the stream is declared in the contract's stream table as `audioPortal`).
 */

export interface AudioStreamConnection {
  start(): void;
  send(message: { audio: number[]; sampleRate: number }): void;
  stop(): void;
  close(): void;
}

/** The name the desktop bridge knows the portal's Socket.IO stream by. */
export const AUDIO_STREAM_NAME = 'audioPortal';

interface LooseBridge {
  open(
    name: string,
    params: Record<string, never>,
    onEvent: (event: Incoming) => void,
    onEnd?: (reason: string | null) => void,
  ): StreamSession<Incoming>;
}

function overIpc(bridge: LooseBridge, handlers: AudioStreamHandlers): AudioStreamConnection {
  const session = bridge.open(
    AUDIO_STREAM_NAME,
    {},
    (e) => dispatchStreamEvent(handlers, e),
    (reason) => {
      if (reason !== null) handlers.onError?.(reason);
      handlers.onDisconnect?.();
    },
  );
  const emit = (event: string, data: unknown = {}): void => {
    void session.send({ event, data }).then((r) => {
      if (!r.ok) handlers.onError?.(r.error.message);
    });
  };
  return {
    start: () => emit('start_stream'),
    send: (message) => emit('audio_data', message),
    stop: () => emit('stop_stream'),
    close: () => session.close(),
  };
}

function overSocketIo(handlers: AudioStreamHandlers): AudioStreamConnection {
  // The page's own origin: the server that served the UI is the one that classifies.
  const socket: Socket = io({ transports: ['websocket', 'polling'], reconnection: true });
  for (const event of [
    'stream_started',
    'stream_stopped',
    'classification_result',
    'training_update',
    'stream_error',
  ]) {
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
    start: () => void socket.emit('start_stream'),
    send: (message) => void socket.emit('audio_data', message),
    stop: () => void socket.emit('stop_stream'),
    close: () => void socket.close(),
  };
}

export function connectAudioStream(handlers: AudioStreamHandlers): AudioStreamConnection {
  const streams = window.assayBridge?.streams as unknown as LooseBridge | undefined;
  return streams !== undefined ? overIpc(streams, handlers) : overSocketIo(handlers);
}
