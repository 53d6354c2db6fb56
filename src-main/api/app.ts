import express from 'express';
import { pino } from 'pino';
import swaggerUi from 'swagger-ui-express';
import { families as builtinFamilies } from '../../src-shared/contract/families/index.js';
import type { FamilyDef } from '../../src-shared/contract/family.js';
import { workstationModule, type ApiModule } from '../core/api-module.js';
import type { Logger, Workstation } from '../core/workstation.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { familyFallbacks, operationRoutes, type BearerVerifier } from './family-router.js';
import { buildOpenApiDocument } from './openapi.js';
import { predictRouter } from './predict-routes.js';
import { baseHeaders, refuseForeignOrigin, requireLoopbackHost } from './security.js';
import { sseRoutes } from './sse-routes.js';
import { uiRouter } from './ui-routes.js';
import { uploadRouter } from './upload-route.js';

/** A body that stops arriving for this long gets a 408 (uploads keep moving, so they pass). */
export const DEFAULT_BODY_IDLE_MS = 30_000;

export interface AppOptions {
  /** vite's output folder (dist/renderer); absent: `/` explains how to build the UI. */
  readonly uiDir?: string;
  /** The port the server listens on (0 while unknown); shown in the OpenAPI servers list. */
  readonly port: number;
  readonly logger?: Logger;
  /** SSE heartbeat interval; tests shorten it. */
  readonly heartbeatMs?: number;
  /** Version shown in the OpenAPI document. */
  readonly version?: string;
  /** Stalled-body timeout; tests shorten it. */
  readonly bodyIdleMs?: number;
  /** Families served beside the workstation's own (each with its operations and handlers). */
  readonly modules?: readonly ApiModule[];
  /** The token check of families whose policy is bearer-jwt. */
  readonly verifyBearer?: BearerVerifier;
}

/** The modules and families one server serves: the workstation's, plus any given. */
export function servedModules(
  ws: Workstation,
  extra: readonly ApiModule[] = [],
): {
  modules: ApiModule[];
  families: FamilyDef[];
} {
  const modules = [workstationModule(ws), ...extra];
  const families = [...builtinFamilies];
  for (const m of extra) {
    for (const d of [...Object.values(m.operations), ...Object.values(m.streams ?? {})]) {
      if (!families.includes(d.family)) families.push(d.family);
    }
  }
  return { modules, families };
}

/**
 * The local HTTP API: one Express app over the workstation core. Every JSON and file operation,
 * and every SSE stream, comes from the contract's tables; the multi-file import upload, the UI
 * and the docs are the few hand-written routes.
 */
export function createApp(ws: Workstation, opts: AppOptions): express.Express {
  const logger = opts.logger ?? pino({ name: 'assay-api' });
  const { modules, families } = servedModules(ws, opts.modules);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(baseHeaders, requireLoopbackHost(families), refuseForeignOrigin(families));

  const openapi = buildOpenApiDocument(opts.version ?? '0.0.0', modules, families);
  if (opts.port > 0) openapi.servers = [{ url: '/' }, { url: `http://127.0.0.1:${opts.port}` }];
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Assay API' }));

  app.use(
    sseRoutes(modules, opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs }),
  );
  app.use(
    operationRoutes(modules, {
      tmpDir: ws.tmpDir,
      maxFileBytes: ws.limits.maxFileBytes,
      jsonLimit: '1mb',
      bodyIdleMs: opts.bodyIdleMs ?? DEFAULT_BODY_IDLE_MS,
      ...(opts.verifyBearer ? { verifyBearer: opts.verifyBearer } : {}),
    }),
  );
  app.use(uploadRouter(ws, opts.bodyIdleMs ?? DEFAULT_BODY_IDLE_MS));
  app.use(predictRouter(ws, opts.bodyIdleMs ?? DEFAULT_BODY_IDLE_MS));
  app.use(familyFallbacks(modules, families));
  app.use('/api', notFoundHandler(families));

  app.use(uiRouter(ws, opts.uiDir));
  app.use(notFoundHandler(families));
  app.use(errorHandler(logger, families));
  return app;
}
