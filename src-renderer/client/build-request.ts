import { z } from 'zod';
import {
  ErrorBody,
  WorkstationError,
  operations,
  type OperationDef,
  type OperationName,
} from '../../src-shared/contract/index.js';

/** One HTTP request, derived from a contract operation and its merged input. */
export interface HttpRequest {
  readonly method: OperationDef['method'];
  /** Path plus query string, relative to the server origin. */
  readonly url: string;
  /** JSON text, or undefined for operations without a body. */
  readonly body: string | undefined;
}

/** The field names a schema declares (an object schema, refinements included); none otherwise. */
export function schemaKeys(schema: z.ZodType | undefined): readonly string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Builds the request for one operation: `:name` path segments are URL-encoded from the input
 * (a filename like `cat/a.png` becomes `cat%2Fa.png`, as the routes expect), query fields go to
 * the query string, body fields to a JSON body. Fields the operation does not declare are dropped.
 */
export function buildRequest(
  name: OperationName,
  input: Readonly<Record<string, unknown>>,
): HttpRequest {
  const def: OperationDef = operations[name];
  const path = def.path.replace(/:([A-Za-z_]+)/g, (_m, key: string) => {
    const value = input[key];
    if (!isPresent(value)) {
      throw new WorkstationError('bad_request', `${name}: missing path parameter "${key}"`);
    }
    return encodeURIComponent(String(value));
  });

  const query = new URLSearchParams();
  for (const key of schemaKeys(def.query)) {
    const value = input[key];
    if (isPresent(value)) query.set(key, String(value));
  }
  const qs = query.toString();

  let body: string | undefined;
  if (def.body !== undefined) {
    const picked: Record<string, unknown> = {};
    for (const key of schemaKeys(def.body)) {
      if (input[key] !== undefined) picked[key] = input[key];
    }
    body = JSON.stringify(picked);
  }
  return { method: def.method, url: qs ? `${path}?${qs}` : path, body };
}

const OkEnvelope = z.object({ status: z.literal('ok'), data: z.unknown() });

/**
 * Unwraps `{"status":"ok","data":…}`; turns `{"status":"error"}` (or anything unexpected) into a
 * WorkstationError so that screens handle one error type whatever the transport.
 */
export function unwrapEnvelope(payload: unknown, httpStatus: number): unknown {
  const err = ErrorBody.safeParse(payload);
  if (err.success) {
    throw new WorkstationError(err.data.error.code, err.data.error.message, httpStatus);
  }
  const ok = OkEnvelope.safeParse(payload);
  if (ok.success && httpStatus < 400) return ok.data.data;
  throw new WorkstationError(
    httpStatus >= 500 ? 'internal' : 'bad_response',
    `Unexpected reply from the workstation server (HTTP ${httpStatus})`,
    httpStatus,
  );
}

/** Checks the `data` against the operation's response schema: a contract drift fails loudly here. */
export function parseResponse<N extends OperationName>(name: N, data: unknown): unknown {
  const result = operations[name].response.safeParse(data);
  if (!result.success) {
    throw new WorkstationError(
      'bad_response',
      `${name}: reply does not match the contract (${result.error.issues[0]?.message ?? 'invalid'})`,
    );
  }
  return result.data;
}
