import type http from 'node:http';
import { Server } from 'socket.io';
import { STATUS_OF } from '../../../src-shared/contract/common.js';
import type { ApiModule, SocketIoHandler } from '../../core/api-module.js';
import { AppError } from '../../core/errors.js';
import type { Logger } from '../../core/services/logger.js';
import { toAppError } from '../errors.js';
import { foreignOrigin, isLoopbackHost } from '../security.js';

type LooseSession = {
  readonly on: Readonly<Record<string, (data: unknown) => void | Promise<void>>>;
  disconnect?(): void;
};

/**
 * One Socket.IO server on the API's HTTP server, for every declared `socket.io` stream: each
 * namespace's client events parsed with their schemas before its handler sees them; a refused
 * event is answered on the declared error event in the family's error body. The handshake takes
 * the same Host and Origin checks as the HTTP routes. Absent any declaration, nothing attaches.
 */
export function attachSocketIo(
  server: http.Server,
  modules: readonly ApiModule[],
  logger: Logger,
): { close(): Promise<void> } | null {
  const declared = modules.flatMap((m) =>
    Object.entries(m.streams ?? {}).flatMap(([name, def]) => {
      if (def.kind !== 'socket.io') return [];
      const handler = m.streamHandlers?.[name];
      if (handler?.kind !== 'socket.io') throw new Error(`stream ${name} has no Socket.IO handler`);
      return [{ def, handler: handler as SocketIoHandler }];
    }),
  );
  if (declared.length === 0) return null;
  const io = new Server(server, {
    serveClient: false,
    // One event may carry a few seconds of audio as JSON numbers (the audio stream allows 384 000
    // samples, under 8 MB): over Socket.IO's 1 MB default the client would be cut off instead of
    // hearing the declared error event.
    maxHttpBufferSize: 10e6,
    // Other upgrades (the `ws` streams) are routed by our own listener: leave them alone.
    destroyUpgrade: false,
    allowRequest: (req, callback) => {
      if (!isLoopbackHost(req.headers.host)) return callback('Host must be a loopback name', false);
      const refused = foreignOrigin(req as never);
      callback(refused, refused === null);
    },
  });
  for (const { def, handler } of declared) {
    const env = def.family.envelope;
    io.of(def.namespace).on('connection', (socket) => {
      const fail = (err: AppError): void => {
        socket.emit(def.errorEvent, env.error(err.code, err.message, STATUS_OF[err.code]));
      };
      const session = handler.connect({
        id: socket.id,
        emit: (event, data) => socket.emit(event, data),
        disconnect: () => socket.disconnect(true),
      }) as LooseSession;
      for (const [event, schema] of Object.entries(def.clientEvents)) {
        const on = session.on[event];
        if (!on) continue;
        socket.on(event, async (data: unknown) => {
          const parsed = schema.safeParse(data);
          if (!parsed.success) {
            const why = parsed.error.issues.map(
              (i) => `${i.path.join('.') || event}: ${i.message}`,
            );
            return fail(new AppError('validation_error', `${event}: ${why.join('; ')}`));
          }
          try {
            await on(parsed.data);
          } catch (err) {
            const known = toAppError(err);
            if (!known) logger.error({ err, event }, 'Socket.IO handler failed');
            fail(known ?? new AppError('internal', 'internal error; see the server log'));
          }
        });
      }
      socket.on('disconnect', () => session.disconnect?.());
    });
  }
  return {
    close: () =>
      new Promise<void>((resolve) => {
        io.disconnectSockets(true);
        // io.close() would close the HTTP server too: the server's own close does that.
        io.engine.close();
        resolve();
      }),
  };
}
