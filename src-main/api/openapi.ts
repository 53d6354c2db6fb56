import {
  OpenAPIRegistry,
  OpenApiGeneratorV3,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { okEnvelope } from '../../src-shared/contract/common.js';
import { platformEnvelope } from '../../src-shared/contract/envelopes.js';
import type { FamilyDef } from '../../src-shared/contract/family.js';
import type { OperationDef } from '../../src-shared/contract/operation.js';
import type { SocketIoStreamDef, StreamDef } from '../../src-shared/contract/stream.js';
import type { ApiModule } from '../core/api-module.js';
import { ImportStarted, ProjectParams } from '../../src-shared/contract/datasets.js';
import { Health } from '../../src-shared/contract/system.js';
import { registerPredictRoutes } from './openapi-predict.js';

/** `/api/projects/:id` → `/api/projects/{id}` */
export const openApiPath = (path: string): string => path.replace(/:([A-Za-z_]+)/g, '{$1}');

const Binary = z.string().meta({ format: 'binary' });

type Responses = RouteConfig['responses'];
type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

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

function operationRequest(def: OperationDef): NonNullable<RouteConfig['request']> {
  const request: NonNullable<RouteConfig['request']> = {};
  if (def.params) request.params = def.params;
  if (def.query) request.query = def.query;
  if (def.files) {
    const shape: Record<string, z.ZodType> = {};
    for (const [name, f] of Object.entries(def.files)) {
      const part = Binary.meta({ description: f.description });
      shape[name] = f.required ? part : part.optional();
    }
    const fields = def.body instanceof z.ZodObject ? def.body.shape : {};
    const schema = z.object({ ...fields, ...shape });
    request.body = { content: { 'multipart/form-data': { schema } } };
  } else if (def.body) {
    request.body = { content: { 'application/json': { schema: def.body } } };
  }
  return request;
}

function operationResponses(def: OperationDef): Responses {
  const env = def.family.envelope;
  const error = {
    description: `Error in the ${def.family.title} envelope. ${env.summary}`,
    content: { 'application/json': { schema: env.errorSchema } },
  };
  if (def.output?.kind === 'file') {
    const content = Object.fromEntries(def.output.contentTypes.map((t) => [t, { schema: Binary }]));
    return { 200: { description: 'The file', content }, default: error };
  }
  return {
    200: {
      description: 'Success',
      content: { 'application/json': { schema: env.okSchema(def.response) } },
    },
    default: error,
  };
}

function registerModule(registry: OpenAPIRegistry, m: ApiModule): void {
  for (const [name, def] of Object.entries(m.operations)) {
    registry.registerPath({
      method: def.method.toLowerCase() as Method,
      path: openApiPath(def.path),
      operationId: name,
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      tags: [def.tag ?? def.family.tag],
      ...(def.family.auth.kind === 'bearer-jwt' && !def.family.auth.publicPaths.includes(def.path)
        ? { security: [{ bearer: [] }] }
        : {}),
      request: operationRequest(def),
      responses: operationResponses(def),
    });
  }
  for (const [name, def] of Object.entries(m.streams ?? {})) registerStream(registry, name, def);
}

function registerStream(registry: OpenAPIRegistry, name: string, def: StreamDef): void {
  const error = {
    description: `Error in the ${def.family.title} envelope`,
    content: { 'application/json': { schema: def.family.envelope.errorSchema } },
  };
  if (def.kind === 'sse') {
    registry.registerPath({
      method: 'get',
      path: openApiPath(def.path),
      operationId: name,
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      tags: [def.tag ?? def.family.tag],
      request: { params: def.params },
      responses: {
        200: {
          description: 'text/event-stream: `event: <name>`, `data: <one event as JSON>`',
          content: { 'text/event-stream': { schema: def.event } },
        },
        default: error,
      },
    });
  } else if (def.kind === 'ws') {
    registry.registerPath({
      method: 'get',
      path: openApiPath(def.path),
      operationId: name,
      summary: `WebSocket: ${def.summary}`,
      description:
        'Upgrade with `Connection: Upgrade`, `Upgrade: websocket`. Messages are JSON text ' +
        'frames: the client sends the request body schema, the server sends the 101 schema.',
      tags: [def.tag ?? def.family.tag],
      request: {
        ...(def.params ? { params: def.params } : {}),
        body: { content: { 'application/json': { schema: def.receive } } },
      },
      responses: {
        101: {
          description: 'Switching protocols; then server messages',
          content: { 'application/json': { schema: def.send } },
        },
        default: error,
      },
    });
  }
}

/** The routes outside `operations`: files, thumbnails, uploads, job events, and the root pair. */
function registerBinaryRoutes(registry: OpenAPIRegistry, error: z.ZodType): void {
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
  modules: readonly ApiModule[],
  families: readonly FamilyDef[],
): ReturnType<OpenApiGeneratorV3['generateDocument']> {
  const registry = new OpenAPIRegistry();
  for (const m of modules) registerModule(registry, m);
  registerBinaryRoutes(registry, platformEnvelope.errorSchema);
  registerPredictRoutes(registry, platformEnvelope.errorSchema);
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  const served = families.map((f) => `${f.title} (api-reference/${f.reference})`).join(', ');
  const doc = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'Assay workstation API',
      version,
      description:
        `Local HTTP API of the Assay workstation: ${served}. Each family answers in its own ` +
        'documented envelope (see each tag). Served on loopback only.',
    },
    servers: [{ url: '/' }],
    tags: families.map((f) => ({
      name: f.tag,
      description: `${f.title}: ${f.envelope.summary}${
        f.auth.kind === 'bearer-jwt' ? ' Bearer JWT on every path but the public ones.' : ''
      }`,
    })),
  });
  // OpenAPI has no words for Socket.IO: its declared events go in an extension beside the paths.
  const socketIo = modules.flatMap((m) =>
    Object.values(m.streams ?? {}).flatMap((d) =>
      d.kind === 'socket.io' ? [socketIoEntry(d)] : [],
    ),
  );
  return socketIo.length === 0 ? doc : { ...doc, 'x-socket-io': socketIo };
}

function socketIoEntry(d: SocketIoStreamDef): Record<string, unknown> {
  const schemas = (events: Readonly<Record<string, z.ZodType>>) =>
    Object.fromEntries(Object.entries(events).map(([e, s]) => [e, z.toJSONSchema(s)]));
  return {
    namespace: d.namespace,
    family: d.family.id,
    summary: d.summary,
    clientEvents: schemas(d.clientEvents),
    serverEvents: schemas(d.serverEvents),
    errorEvent: d.errorEvent,
  };
}
