import type { AudioChunk, ClassThresholds } from '../../../../src-shared/contract/index.js';
import type { SocketIoHandler } from '../../api-module.js';
import type { LiveStreams } from './live-streams.js';

export const STARTED = { message: 'Audio streaming started' } as const;
export const STOPPED = { message: 'Audio streaming stopped' } as const;

/**
 * The Socket.IO side of the live stream (the `audioStream` declaration): each connection is one
 * listener of `LiveStreams`. The attach layer has parsed every event with its schema, and answers
 * a thrown AppError on `stream_error`; this maps events to the session and back.
 */
export function audioStreamHandler(streams: LiveStreams): SocketIoHandler {
  return {
    kind: 'socket.io',
    connect(socket) {
      const client = streams.attach({ send: (event, data) => socket.emit(event, data) });
      return {
        on: {
          start_stream: async (settings: { thresholds?: ClassThresholds } | null | undefined) => {
            await client.start(settings);
            socket.emit('stream_started', STARTED);
          },
          audio_data: (chunk: AudioChunk) => client.audio(chunk),
          // A second stop (or one without a start) is answered the same way: nothing to refuse.
          stop_stream: () => {
            client.stop();
            socket.emit('stream_stopped', STOPPED);
          },
        },
        disconnect: () => client.close(),
      };
    },
  };
}
