import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { STATUS_OF, type ErrorCode } from '../../../src-shared/contract/common.js';
import { familyForPath, type FamilyDef } from '../../../src-shared/contract/family.js';
import type { WsStreamDef } from '../../../src-shared/contract/stream.js';
import type { ApiModule, WsHandler } from '../../core/api-module.js';
import { AppError } from '../../core/errors.js';
import type { Logger } from '../../core/services/logger.js';
import { toAppError } from '../errors.js';
import { foreignOrigin, isLoopbackHost } from '../security.js';

interface Route {
  readonly def: WsStreamDef;
  readonly handler: WsHandler;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

function compile(path: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  const source = path
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(seg.slice(1));
      return '([^/]+)';
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), names };
}

/** Refuses an upgrade with an HTTP reply in the family's envelope, then closes the socket. */
function refuse(socket: Duplex, family: FamilyDef, code: ErrorCode, message: string): void {
  const status = STATUS_OF[code];
  const body = JSON.stringify(family.envelope.error(code, message, status));
  socket.end(
    `HTTP/1.1 ${status} ${code}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

type LooseSession = { message(msg: unknown): void | Promise<void>; close(): void };

/**
 * One `upgrade` listener for every declared `ws` stream (noServer WebSocketServer): the Host and
 * Origin checks of the HTTP routes, path params checked with the contract, each text message
 * parsed with the stream's `receive` schema. Socket.IO's own path is left to its server.
 */
export function attachWsRouter(
  server: http.Server,
  modules: readonly ApiModule[],
  families: readonly FamilyDef[],
  logger: Logger,
  /** Whether a Socket.IO server takes `/socket.io/` upgrades; else they are refused here. */
  socketIo: boolean,
): { close(): void } {
  const routes: Route[] = [];
  for (const m of modules) {
    for (const [name, def] of Object.entries(m.streams ?? {})) {
      if (def.kind !== 'ws') continue;
      const handler = m.streamHandlers?.[name];
      if (handler?.kind !== 'ws') throw new Error(`stream ${name} has no WebSocket handler`);
      routes.push({ def, handler, ...compile(def.path) });
    }
  }
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 ** 2 });

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (socketIo && path.startsWith('/socket.io/')) return;
    const family = familyForPath(families, path) ?? families[0];
    if (!family) return void socket.destroy();
    if (!isLoopbackHost(req.headers.host)) {
      return refuse(
        socket,
        family,
        'forbidden',
        'Host header must be localhost, 127.0.0.1 or [::1]',
      );
    }
    const refused = foreignOrigin(req as never);
    if (refused !== null) return refuse(socket, family, 'forbidden', refused);
    let decoded: string[] | null = null;
    const route = routes.find((r) => {
      const m = r.pattern.exec(path);
      if (!m) return false;
      try {
        decoded = m.slice(1).map((v) => decodeURIComponent(v));
      } catch {
        decoded = null;
      }
      return true;
    });
    if (!route) return refuse(socket, family, 'not_found', `no WebSocket at ${path}`);
    const raw = Object.fromEntries(route.names.map((n, i) => [n, (decoded ?? [])[i] ?? '']));
    const params = route.def.params ? route.def.params.safeParse(raw) : { success: true, data: {} };
    if (!params.success || decoded === null) {
      return refuse(socket, route.def.family, 'validation_error', `bad path parameters in ${path}`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => void serve(ws, route, params.data));
  };

  async function serve(ws: WebSocket, route: Route, params: unknown): Promise<void> {
    const env = route.def.family.envelope;
    const sendError = (err: AppError): void =>
      ws.send(JSON.stringify(env.error(err.code, err.message, STATUS_OF[err.code])));
    const pending: unknown[] = [];
    let session: LooseSession | null = null;
    const deliver = async (data: unknown): Promise<void> => {
      try {
        await session?.message(data);
      } catch (err) {
        const known = toAppError(err);
        if (!known) logger.error({ err, path: route.def.path }, 'WebSocket handler failed');
        sendError(known ?? new AppError('internal', 'internal error; see the server log'));
      }
    };
    ws.on('message', (data, isBinary) => {
      let msg: unknown;
      if (isBinary) {
        if (!route.def.binary)
          return sendError(new AppError('bad_request', 'binary frames are not taken here'));
        msg = new Uint8Array(data as Buffer);
      } else {
        let json: unknown;
        try {
          json = JSON.parse(String(data));
        } catch {
          return sendError(new AppError('invalid_json', 'the message is not valid JSON'));
        }
        const parsed = route.def.receive.safeParse(json);
        if (!parsed.success) {
          const why = parsed.error.issues.map(
            (i) => `${i.path.join('.') || '(message)'}: ${i.message}`,
          );
          return sendError(new AppError('validation_error', why.join('; ')));
        }
        msg = parsed.data;
      }
      if (session === null) pending.push(msg);
      else void deliver(msg);
    });
    ws.on('close', () => session?.close());
    try {
      const open = route.handler.open as (p: unknown, c: unknown) => Promise<LooseSession>;
      session = await open(params, {
        send: (message: unknown) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
        },
        close: (code?: number, reason?: string) => ws.close(code ?? 1000, reason),
      });
      if (ws.readyState !== ws.OPEN) session.close();
      for (const msg of pending.splice(0)) await deliver(msg);
    } catch (err) {
      const known = toAppError(err);
      sendError(known ?? new AppError('internal', 'internal error; see the server log'));
      ws.close(known ? 1008 : 1011, (known?.message ?? 'internal error').slice(0, 120));
    }
  }

  server.on('upgrade', onUpgrade);
  return {
    close() {
      server.off('upgrade', onUpgrade);
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}
