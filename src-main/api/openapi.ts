import {
  OpenAPIRegistry,
  OpenApiGeneratorV3,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBody, okEnvelope } from '../../src-shared/contract/common.js';
import { ImportStarted, ProjectParams } from '../../src-shared/contract/datasets.js';
import { ExportParams } from '../../src-shared/contract/export.js';
import { JobIdParams } from '../../src-shared/contract/jobs.js';
import {
  operationNames,
  operations,
  type OperationDef,
} from '../../src-shared/contract/operations.js';
import { Health } from '../../src-shared/contract/system.js';
import { RunEvent, RunParams } from '../../src-shared/contract/training.js';
import { registerPredictRoutes } from './openapi-predict.js';
import { registerRegressionRoutes } from './openapi-regression.js';

/** `/api/projects/:id` → `/api/projects/{id}` */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z_]+)/g, '{$1}');

const Binary = z.string().meta({ format: 'binary' });
const FilenameParams = ProjectParams.extend({
  filename: z.string().meta({
    description: 'Item filename, URL-encoded (cat%2Fimg001.png); raw slashes are accepted too',
  }),
});

type Responses = RouteConfig['responses'];

function jsonResponses(data: z.ZodType, errorRef: z.ZodType): Responses {
  return {
    200: {
      description: 'Success: `{"status":"ok","data":…}`',
      content: { 'application/json': { schema: okEnvelope(data) } },
    },
    default: {
      description: 'Error: `{"status":"error","error":{"code","message"}}`',
      content: { 'application/json': { schema: errorRef } },
    },
  };
}

function registerOperations(registry: OpenAPIRegistry, error: z.ZodType): void {
  for (const name of operationNames) {
    const def = operations[name] as OperationDef;
    const request: NonNullable<RouteConfig['request']> = {};
    if (def.params) request.params = def.params;
    if (def.query) request.query = def.query;
    if (def.body) request.body = { content: { 'application/json': { schema: def.body } } };
    registry.registerPath({
      method: def.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete',
      path: openApiPath(def.path),
      operationId: name,
      summary: def.summary,
      tags: [def.tag],
      request,
      responses: jsonResponses(def.response, error),
    });
  }
}

/** The routes outside `operations`: files, thumbnails, uploads, job events, and the root pair. */
function registerBinaryRoutes(registry: OpenAPIRegistry, error: z.ZodType): void {
  const errorResponse = {
    description: 'Error envelope',
    content: { 'application/json': { schema: error } },
  };
  registry.registerPath({
    method: 'get',
    path: '/api/datasets/{project_id}/images/{filename}',
    operationId: 'getItemFile',
    summary: 'Get image file (the original bytes of any item: image, audio or table)',
    tags: ['Datasets'],
    request: { params: FilenameParams },
    responses: {
      200: {
        description: 'The original file',
        content: {
          'image/*': { schema: Binary },
          'audio/*': { schema: Binary },
          'text/csv': { schema: Binary },
        },
      },
      default: errorResponse,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/export/{project_id}/{export_id}/download',
    operationId: 'downloadExport',
    summary: 'Download exported model (a ZIP: the model, metadata.json, README.md)',
    tags: ['Export'],
    request: { params: ExportParams },
    responses: {
      200: { description: 'The export ZIP', content: { 'application/zip': { schema: Binary } } },
      default: errorResponse,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/datasets/{project_id}/thumbnails/{filename}',
    operationId: 'getThumbnail',
    summary: 'Get thumbnail (images: a scaled copy; audio: a waveform picture)',
    tags: ['Datasets'],
    request: { params: FilenameParams },
    responses: {
      200: { description: 'Thumbnail', content: { 'image/*': { schema: Binary } } },
      default: errorResponse,
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/datasets/{project_id}/import/upload',
    operationId: 'importUpload',
    summary: 'Import via ZIP upload (or single files / a folder’s files with relative names)',
    description:
      'multipart/form-data: one or more file parts; a part’s filename may carry a relative path ' +
      '(`cat/1.png`, the first folder is the class), or send a `paths` field holding a JSON array ' +
      'with one relative path per file part. Over the upload limit: 413, nothing kept.',
    tags: ['Datasets'],
    request: {
      params: ProjectParams,
      body: {
        content: {
          'multipart/form-data': {
            schema: z.object({
              files: z.array(Binary),
              paths: z.string().optional().meta({ description: 'JSON array of relative paths' }),
            }),
          },
        },
      },
    },
    responses: jsonResponses(ImportStarted, error),
  });
  registry.registerPath({
    method: 'get',
    path: '/api/jobs/{job_id}/events',
    operationId: 'jobEvents',
    summary: 'Job progress as server-sent events (`progress`, then `done`; data is the Job JSON)',
    tags: ['Jobs'],
    request: { params: JobIdParams },
    responses: {
      200: {
        description: 'text/event-stream',
        content: { 'text/event-stream': { schema: z.string() } },
      },
      default: errorResponse,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/training/{project_id}/runs/{run_id}/stream',
    operationId: 'runEvents',
    summary: 'SSE event stream of a run',
    description:
      'text/event-stream. First a `status` event with the run as it is now; then `status` (the ' +
      'Run, on every state change), `progress` (epoch, batch, samples/s, ETA), `epoch` (one ' +
      "completed epoch's metrics, Keras names) and `log` events; each `data:` line is one " +
      'RunEvent as JSON (the schema below). Comment lines are heartbeats. The server closes the ' +
      'stream after the status that settles the run (completed, failed, stopped, interrupted); a ' +
      'resumed run is followed with a new request.',
    tags: ['Training'],
    request: { params: RunParams },
    responses: {
      200: {
        description: 'text/event-stream of RunEvent',
        content: { 'text/event-stream': { schema: RunEvent } },
      },
      default: errorResponse,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/health',
    operationId: 'rootHealth',
    summary: 'Health check (same body as /api/system/health, without the envelope)',
    tags: ['System'],
    responses: {
      200: { description: 'Health', content: { 'application/json': { schema: Health } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/',
    operationId: 'root',
    summary: 'Browsers (Accept: text/html) get the UI; other clients a connection check',
    tags: ['System'],
    responses: {
      200: {
        description: 'Connection check',
        content: {
          'application/json': { schema: z.object({ message: z.literal('Backend is connected!') }) },
          'text/html': { schema: z.string() },
        },
      },
    },
  });
}

export function buildOpenApiDocument(
  version: string,
): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const registry = new OpenAPIRegistry();
  // `.meta({id})` names a component without patching zod's prototype (extendZodWithOpenApi).
  const error = ErrorBody.meta({ id: 'ErrorBody' });
  registerOperations(registry, error);
  registerBinaryRoutes(registry, error);
  registerPredictRoutes(registry, error);
  registerRegressionRoutes(registry);
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Assay workstation API',
      version,
      description:
        'Local HTTP API of the Assay workstation (training-platform family). Every JSON success ' +
        'is `{"status":"ok","data":…}` with HTTP 200; every error `{"status":"error","error":' +
        '{"code","message"}}`. Served on loopback only.',
    },
    servers: [{ url: '/' }],
  });
}
