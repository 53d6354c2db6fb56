import {
  WorkstationError,
  operations,
  platformEnvelope,
  schemaKeys,
  type OperationDef,
  type OperationName,
} from '../../src-shared/contract/index.js';

/** One HTTP request, derived from a contract operation and its merged input. */
export interface HttpRequest {
  readonly method: OperationDef['method'];
  /** Path plus query string, relative to the server origin. */
  readonly url: string;
  /** JSON text, a multipart form (operations with files), or undefined. */
  readonly body: string | FormData | undefined;
}

export { schemaKeys };

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Builds the request for one operation of any table: `:name` path segments are URL-encoded from
 * the input (a filename like `cat/a.png` becomes `cat%2Fa.png`, as the routes expect), query
 * fields go to the query string, body fields to a JSON body, or, with files, to a multipart form
 * beside the file parts. Fields the operation does not declare are dropped.
 */
export function buildOperationRequest(
  name: string,
  def: OperationDef,
  input: Readonly<Record<string, unknown>>,
): HttpRequest {
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

  let body: string | FormData | undefined;
  if (def.files) {
    const form = new FormData();
    for (const key of schemaKeys(def.body)) {
      if (isPresent(input[key])) form.append(key, String(input[key]));
    }
    for (const key of Object.keys(def.files)) {
      const file = input[key];
      if (file instanceof Blob) {
        form.append(
          key,
          file,
          typeof File !== 'undefined' && file instanceof File ? file.name : 'upload',
        );
      }
    }
    body = form;
  } else if (def.body !== undefined) {
    const picked: Record<string, unknown> = {};
    for (const key of schemaKeys(def.body)) {
      if (input[key] !== undefined) picked[key] = input[key];
    }
    body = JSON.stringify(picked);
  }
  return { method: def.method, url: qs ? `${path}?${qs}` : path, body };
}

/** The URL of a declared stream (SSE, WebSocket path) with its `:name` segments filled in. */
export function streamPath(
  def: { readonly path: string },
  params: Readonly<Record<string, string>>,
): string {
  return def.path.replace(/:([A-Za-z_]+)/g, (_m, key: string) => {
    const value = params[key];
    if (!isPresent(value))
      throw new WorkstationError('bad_request', `missing stream parameter "${key}"`);
    return encodeURIComponent(String(value));
  });
}

/** The request of one of the workstation's own operations. */
export function buildRequest(
  name: OperationName,
  input: Readonly<Record<string, unknown>>,
): HttpRequest {
  return buildOperationRequest(name, operations[name], input);
}

/**
 * Unwraps a reply in the operation's family envelope; an error body (or anything unexpected)
 * becomes a WorkstationError so that screens handle one error type whatever the transport.
 */
export function unwrapReply(
  def: Pick<OperationDef, 'family'>,
  payload: unknown,
  httpStatus: number,
): unknown {
  const result = def.family.envelope.unwrap(payload, httpStatus);
  if (result.ok) return result.data;
  throw new WorkstationError(result.code, result.message, httpStatus);
}

/** The training platform's `{"status":"ok","data":…}`. */
export function unwrapEnvelope(payload: unknown, httpStatus: number): unknown {
  const result = platformEnvelope.unwrap(payload, httpStatus);
  if (result.ok) return result.data;
  throw new WorkstationError(result.code, result.message, httpStatus);
}

/** Checks the data against the operation's response schema: a contract drift fails loudly here. */
export function parseOperationResponse(name: string, def: OperationDef, data: unknown): unknown {
  const result = def.response.safeParse(data);
  if (!result.success) {
    throw new WorkstationError(
      'bad_response',
      `${name}: reply does not match the contract (${result.error.issues[0]?.message ?? 'invalid'})`,
    );
  }
  return result.data;
}

export function parseResponse<N extends OperationName>(name: N, data: unknown): unknown {
  return parseOperationResponse(name, operations[name], data);
}
