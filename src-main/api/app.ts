import express from 'express';
import { pino } from 'pino';
import swaggerUi from 'swagger-ui-express';
import type { Logger, Workstation } from '../core/workstation.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { exportRouter } from './export-routes.js';
import { jobEventsRouter } from './job-events.js';
import { mediaRouter } from './media-routes.js';
import { buildOpenApiDocument } from './openapi.js';
import { operationRouter } from './operation-router.js';
import { predictRouter } from './predict-routes.js';
import { REGRESSION_PATHS, regressionErrorHandler, regressionRouter } from './regression-routes.js';
import { runEventsRouter } from './run-events.js';
import { baseHeaders, refuseForeignOrigin, requireLoopbackHost } from './security.js';
import { uiRouter } from './ui-routes.js';
import { uploadRouter } from './upload-route.js';

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
}

/**
 * The local HTTP API: one Express app over the workstation core. Every JSON route comes from
 * the contract's `operations`; files, uploads and job events are the few hand-written routes.
 */
export function createApp(ws: Workstation, opts: AppOptions): express.Express {
  const logger = opts.logger ?? pino({ name: 'assay-api' });
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');

  app.use(baseHeaders, requireLoopbackHost, refuseForeignOrigin);
  app.use(express.json({ limit: '1mb' }));
  // A malformed body on a tabular-regression path answers in that family's envelope.
  app.use(REGRESSION_PATHS, regressionErrorHandler(logger));

  const openapi = buildOpenApiDocument(opts.version ?? '0.0.0');
  if (opts.port > 0) openapi.servers = [{ url: '/' }, { url: `http://127.0.0.1:${opts.port}` }];
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use('/docs', swaggerUi.serve, swaggerUi.setup(openapi, { customSiteTitle: 'Assay API' }));

  const sse = opts.heartbeatMs === undefined ? {} : { heartbeatMs: opts.heartbeatMs };
  app.use(jobEventsRouter(ws, sse));
  app.use(runEventsRouter(ws, sse));
  app.use(operationRouter(ws));
  app.use(predictRouter(ws));
  app.use(mediaRouter(ws));
  app.use(exportRouter(ws));
  app.use(uploadRouter(ws));
  app.use(regressionRouter(ws, logger));
  app.use('/api', notFoundHandler);

  app.use(uiRouter(ws, opts.uiDir));
  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
