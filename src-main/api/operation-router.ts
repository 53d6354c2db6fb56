import { Router, type Request } from 'express';
import type { z } from 'zod';
import {
  operationNames,
  operations,
  type OperationDef,
  type OperationName,
} from '../../src-shared/contract/operations.js';
import { AppError } from '../core/errors.js';
import type { Workstation } from '../core/workstation.js';
import { validationError, type InputLocation } from './errors.js';

/**
 * The contract writes `:filename`, but filenames carry slashes (`cat/img.png`) when a client
 * does not encode them; Express 5's `*filename` takes one or more segments.
 */
const WILDCARD_PARAMS = new Set(['filename']);

export function expressPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, (m, name: string) =>
    WILDCARD_PARAMS.has(name) ? `*${name}` : m,
  );
}

/** literal < :param < *wildcard, segment by segment; so `/preview` wins over `/:split_index`. */
function segmentRank(segment: string): number {
  if (segment.startsWith('*')) return 2;
  if (segment.startsWith(':')) return 1;
  return 0;
}

export function compareRouteSpecificity(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const d = segmentRank(sa[i] ?? '') - segmentRank(sb[i] ?? '');
    if (d !== 0) return d;
  }
  // Same shape so far: the longer route (e.g. `…/*filename/info`) must be tried first.
  return sb.length - sa.length;
}

/** Express 5 gives wildcard params as arrays of decoded segments; rejoin them with '/'. */
export function flattenParams(params: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] = Array.isArray(value) ? value.map(String).join('/') : String(value);
  }
  return out;
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: InputLocation,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** Parses path params, query and body with the contract and merges them into one input. */
export function parseOperationInput(def: OperationDef, req: Request): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (def.body) {
    if (hasBody(req) && !req.is('application/json')) {
      throw new AppError('unsupported_media_type', 'send the request body as application/json');
    }
    // No body at all reads as `{}` so the message names the missing fields.
    Object.assign(input, parseWith(def.body, req.body ?? {}, 'body'));
  }
  if (def.query) Object.assign(input, parseWith(def.query, req.query, 'query'));
  if (def.params) Object.assign(input, parseWith(def.params, flattenParams(req.params), 'path'));
  return input;
}

type LooseHandler = (input: unknown) => Promise<unknown>;

/** One route per contract entry: parse, call core, wrap in the ok envelope. */
export function operationRouter(ws: Workstation): Router {
  const router = Router();
  const entries = operationNames
    .map((name: OperationName) => ({ name, def: operations[name] as OperationDef }))
    .map((e) => ({ ...e, route: expressPath(e.def.path) }))
    .sort((a, b) => compareRouteSpecificity(a.route, b.route));

  for (const { name, def, route } of entries) {
    // The contract types each handler's input; here the input is checked at run time instead.
    const handler = ws.ops[name] as unknown as LooseHandler;
    const method = def.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    router[method](route, async (req, res) => {
      const input = parseOperationInput(def, req);
      const data = await handler(input);
      res.json({ status: 'ok', data });
    });
  }
  return router;
}
