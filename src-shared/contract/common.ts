import { z } from 'zod';

/** The training-platform envelope: `{"status":"ok","data":…}`. */
export const okEnvelope = <T extends z.ZodType>(data: T) =>
  z.object({ status: z.literal('ok'), data });

export const ErrorBody = z.object({
  status: z.literal('error'),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/**
 * Error codes shared by every adapter (HTTP status in parentheses):
 * bad_request (400), validation_error (400), invalid_json (400), unsupported_media_type (415),
 * not_found (404), method_not_allowed (405), request_timeout (408), conflict (409),
 * payload_too_large (413), unauthorized (401), forbidden (403), unprocessable (422),
 * internal (500 — bugs only).
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_error',
  'invalid_json',
  'unsupported_media_type',
  'not_found',
  'method_not_allowed',
  'request_timeout',
  'conflict',
  'payload_too_large',
  'unauthorized',
  'forbidden',
  'unprocessable',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The one code → HTTP status table every family answers with. */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  validation_error: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  payload_too_large: 413,
  unauthorized: 401,
  forbidden: 403,
  unprocessable: 422,
  internal: 500,
};

/** For envelopes that carry no code (a message only): the code a status stands for. */
export function codeOfStatus(status: number): ErrorCode {
  const found = ERROR_CODES.find((c) => STATUS_OF[c] === status && c !== 'validation_error');
  if (found && found !== 'invalid_json') return found;
  return status >= 500 ? 'internal' : 'bad_request';
}

/** IPC results: errors are data at the boundary. */
export type IpcResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: { readonly code: ErrorCode; readonly message: string } };

export const IsoDate = z.string().describe('ISO-8601 UTC timestamp');

export const ProjectId = z
  .string()
  .regex(/^proj-[0-9a-f]{8}$/, 'project ids look like proj-a1b2c3d4')
  .describe('Project id, e.g. proj-a1b2c3d4');

export const JobId = z.string().regex(/^job-[0-9a-f]{8}$/, 'job ids look like job-a1b2c3d4');

export const Page = z.coerce.number().int().min(1).default(1);
export const PageSize = z.coerce.number().int().min(1).max(1000).default(50);

export const paginated = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    page_size: z.number().int(),
    total_pages: z.number().int(),
  });
