// Headless entry: the workstation core + the HTTP API, no Electron. Used by `npm start` where
// Electron is absent and by the e2e harness; the Electron main process uses serveWorkstation.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { pino, type Logger as PinoLogger } from 'pino';
import { createApp, servedModules } from './api/app.js';
import type { BearerVerifier } from './api/family-router.js';
import { attachSocketIo } from './api/realtime/socket-io.js';
import { attachWsRouter } from './api/realtime/upgrade-router.js';
import type { ApiModule } from './core/api-module.js';
import { silentLogger } from './core/services/logger.js';
import {
  openWorkstation,
  type ImportLimits,
  type Logger,
  type Workstation,
} from './core/workstation.js';

export interface ServerOptions {
  readonly workspaceDir: string;
  /** Default 8000; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1. Only loopback addresses are accepted for now. */
  readonly host?: string;
  /** vite's output; default `<package>/dist/renderer`. */
  readonly uiDir?: string;
  readonly allowRemote?: boolean;
  readonly logger?: Logger;
  readonly limits?: Partial<ImportLimits>;
  /** Test hook, never set by the app: every task job waits this long after it starts. */
  readonly taskHoldMs?: number;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  readonly workspaceDir: string;
  close(): Promise<void>;
}

/** The folder holding package.json, from src-main/ (tsx) or dist/main/src-main/ (built). */
export function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the server module');
    dir = parent;
  }
}

function packageVersion(root: string): string {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** The OS's per-user application-data folder + `Assay`. */
export function defaultWorkspaceDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Assay');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Assay');
  const dataHome =
    env.XDG_DATA_HOME && path.isAbsolute(env.XDG_DATA_HOME)
      ? env.XDG_DATA_HOME
      : path.join(home, '.local', 'share');
  return path.join(dataHome, 'Assay');
}

export function isLoopbackAddress(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

export interface ServeOptions {
  /** Default 8000; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1; non-loopback hosts are refused. */
  readonly host?: string;
  readonly uiDir?: string;
  readonly logger?: Logger;
  readonly version?: string;
  readonly allowRemote?: boolean;
  /** Families served beside the workstation's own. */
  readonly modules?: readonly ApiModule[];
  /** Stalled-body timeout (408); tests shorten it. */
  readonly bodyIdleMs?: number;
  readonly verifyBearer?: BearerVerifier;
}

export interface ServingApi {
  readonly url: string;
  readonly port: number;
  /** Stops listening and drops open connections (SSE streams); the workstation stays open. */
  close(): Promise<void>;
}

function refuseNonLoopback(host: string, allowRemote: boolean | undefined): void {
  if (isLoopbackAddress(host)) return;
  throw new Error(
    allowRemote
      ? `refusing to listen on ${host}: serving other machines requires authentication on every ` +
          'API family, which this version does not have yet. Listen on 127.0.0.1 instead.'
      : `refusing to listen on non-loopback host ${host}: the API has no authentication and ` +
          'must stay on this machine (use 127.0.0.1, localhost or ::1).',
  );
}

/**
 * The HTTP API over an already open workstation. The Electron shell uses this beside its
 * window (one workstation for IPC and HTTP); `startServer` uses it for the headless entry.
 */
export async function serveWorkstation(
  ws: Workstation,
  opts: ServeOptions = {},
): Promise<ServingApi> {
  const host = opts.host ?? '127.0.0.1';
  refuseNonLoopback(host, opts.allowRemote);
  const requestedPort = opts.port ?? 8000;
  const server = http.createServer();
  // Large uploads on slow disks may take a while; the default 5-minute cap would cut them.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${requestedPort} on ${host} is already in use`)
          : err,
      );
    server.once('error', onError);
    server.listen(requestedPort, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const root = packageRoot();
  const app = createApp(ws, {
    port,
    version: opts.version ?? packageVersion(root),
    uiDir: opts.uiDir ?? path.join(root, 'dist', 'renderer'),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.modules ? { modules: opts.modules } : {}),
    ...(opts.bodyIdleMs === undefined ? {} : { bodyIdleMs: opts.bodyIdleMs }),
    ...(opts.verifyBearer ? { verifyBearer: opts.verifyBearer } : {}),
  });
  server.on('request', app);
  // Realtime streams on the same server: `ws` through one upgrade router, Socket.IO beside it
  // (attached after the app, whose requests it passes on).
  const { modules, families } = servedModules(ws, opts.modules);
  const logger = opts.logger ?? silentLogger;
  const socketIo = attachSocketIo(server, modules, logger);
  const wsRouter = attachWsRouter(server, modules, families, logger, socketIo !== null);

  const url = `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
  const close = async (): Promise<void> => {
    wsRouter.close();
    await socketIo?.close();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      // SSE streams and keep-alive sockets would hold close() open forever.
      server.closeAllConnections();
    });
  };
  return { url, port, close };
}

/** Headless: opens the workstation on `workspaceDir` and serves it. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  // Refuse before opening (and perhaps creating) a workspace.
  refuseNonLoopback(host, opts.allowRemote);
  const version = packageVersion(packageRoot());
  const logger = opts.logger ?? pino({ name: 'assay' });
  const workspaceDir = path.resolve(opts.workspaceDir);
  const ws = await openWorkstation({
    workspaceDir,
    version,
    logger,
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.taskHoldMs ? { taskHoldMs: opts.taskHoldMs } : {}),
  });
  let api: ServingApi;
  try {
    api = await serveWorkstation(ws, {
      host,
      version,
      logger,
      ...(opts.port === undefined ? {} : { port: opts.port }),
      ...(opts.uiDir ? { uiDir: opts.uiDir } : {}),
    });
  } catch (err) {
    await ws.close();
    throw err;
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await api.close();
      await ws.close();
    })());
  return { url: api.url, port: api.port, workspaceDir, close };
}

const HELP = `Usage: assay-server [options]
  --port <n>          port to listen on (default 8000)
  --host <addr>       loopback address to bind (default 127.0.0.1)
  --workspace <dir>   workspace folder (default: $ASSAY_WORKSPACE, else the OS app-data folder)
  --ui-dir <dir>      built UI to serve (default: dist/renderer)
  --allow-remote      reserved: binding beyond loopback needs auth, not available yet
  -h, --help          show this help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      workspace: { type: 'string' },
      'ui-dir': { type: 'string' },
      'allow-remote': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const logger: PinoLogger = pino({ name: 'assay' });
  const port = values.port === undefined ? 8000 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer 0..65535, got ${values.port}`);
  }
  const workspaceDir = values.workspace ?? process.env.ASSAY_WORKSPACE ?? defaultWorkspaceDir();
  const server = await startServer({
    port,
    workspaceDir,
    logger,
    ...(values.host ? { host: values.host } : {}),
    ...(values['ui-dir'] ? { uiDir: path.resolve(values['ui-dir']) } : {}),
    ...(values['allow-remote'] ? { allowRemote: true } : {}),
    // Test hook (the crash tests kill a server while a task job runs): never set by the app.
    ...(process.env.ASSAY_TEST_TASK_HOLD_MS
      ? { taskHoldMs: Number(process.env.ASSAY_TEST_TASK_HOLD_MS) }
      : {}),
  });
  logger.info(
    { url: server.url, workspace: server.workspaceDir },
    `Assay server listening on ${server.url} (workspace ${server.workspaceDir})`,
  );
  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

const invokedDirectly = (): boolean => {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
};

if (invokedDirectly()) {
  main().catch((err: unknown) => {
    console.error(`assay-server: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
