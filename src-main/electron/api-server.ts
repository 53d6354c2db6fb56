import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger as PinoLogger } from 'pino';
import { createApp } from '../api/app.js';
import type { Workstation } from '../core/workstation.js';
import { isLoopbackAddress } from '../server.js';

export interface ShellApi {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The lab-script API beside the window, over the SAME open workstation the IPC handlers use (one
 * SQLite connection, one job system). `startServer` in server.ts opens its own workstation, which
 * is right for the headless entry but would give the desktop app two.
 */
export async function startShellApi(
  ws: Workstation,
  opts: {
    readonly host: string;
    readonly port: number;
    readonly uiDir: string;
    readonly version: string;
    readonly logger: PinoLogger;
  },
): Promise<ShellApi> {
  if (!isLoopbackAddress(opts.host)) {
    throw new Error(
      `refusing to listen on non-loopback host ${opts.host}: the API has no authentication`,
    );
  }
  const server = http.createServer();
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${opts.port} on ${opts.host} is already in use`)
          : err,
      ),
    );
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  server.on(
    'request',
    createApp(ws, { port, logger: opts.logger, version: opts.version, uiDir: opts.uiDir }),
  );
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
