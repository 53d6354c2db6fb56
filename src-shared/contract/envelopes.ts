import { z } from 'zod';
import { codeOfStatus, ErrorBody, okEnvelope } from './common.js';
import type { EnvelopeDef, Unwrapped } from './family.js';

const bad = (httpStatus: number): Unwrapped => ({
  ok: false,
  code: httpStatus >= 500 ? 'internal' : 'bad_response',
  message: `Unexpected reply from the workstation server (HTTP ${httpStatus})`,
});

/** Training platform: `{"status":"ok","data"}` / `{"status":"error","error":{code,message}}`. */
export const platformEnvelope: EnvelopeDef = {
  okSchema: (data) => okEnvelope(data),
  errorSchema: ErrorBody.meta({ id: 'ErrorBody' }),
  summary:
    'Success: `{"status":"ok","data":…}` (HTTP 200); error: `{"status":"error","error":{"code","message"}}`.',
  wrap: (data) => ({ status: 'ok', data }),
  error: (code, message, _status, details) => ({
    status: 'error',
    error: details === undefined ? { code, message } : { code, message, details },
  }),
  unwrap(payload, httpStatus) {
    const err = ErrorBody.safeParse(payload);
    if (err.success)
      return { ok: false, code: err.data.error.code, message: err.data.error.message };
    const ok = z.object({ status: z.literal('ok'), data: z.unknown() }).safeParse(payload);
    if (ok.success && httpStatus < 400) return { ok: true, data: ok.data.data };
    return bad(httpStatus);
  },
};

/**
 * Families whose success body is the operation's own object (its schema says so) and whose error
 * body has a family-specific shape; `read` finds the message in such a body.
 */
function bareEnvelope(o: {
  readonly errorSchema: z.ZodType;
  readonly summary: string;
  readonly error: EnvelopeDef['error'];
  readonly read: (payload: unknown) => string | null;
}): EnvelopeDef {
  return {
    okSchema: (data) => data,
    errorSchema: o.errorSchema,
    summary: o.summary,
    wrap: (data) => data,
    error: o.error,
    unwrap(payload, httpStatus) {
      if (httpStatus < 400) return { ok: true, data: payload };
      const message = o.read(payload);
      if (message === null) return bad(httpStatus);
      return { ok: false, code: codeOfStatus(httpStatus), message };
    },
  };
}

const messageOf = (schema: z.ZodType, pick: (v: never) => string) => (payload: unknown) => {
  const parsed = schema.safeParse(payload);
  return parsed.success ? pick(parsed.data as never) : null;
};

export const RegressionErrorBody = z.object({ status: z.literal('error'), message: z.string() });

/** Tabular regression: `{"status":"success",…}` / `{"status":"error","message"}`. */
export const regressionEnvelope = bareEnvelope({
  errorSchema: RegressionErrorBody.meta({ id: 'RegressionErrorBody' }),
  summary: 'Success: `{"status":"success",…}`; error: `{"status":"error","message"}`.',
  error: (_code, message) => ({ status: 'error', message }),
  read: messageOf(RegressionErrorBody, (b: { message: string }) => b.message),
});

export const AudioPortalErrorBody = z.object({ success: z.literal(false), error: z.string() });

/** Audio portal: `{"success":true,…}` / `{"success":false,"error"}`. */
export const audioPortalEnvelope = bareEnvelope({
  errorSchema: AudioPortalErrorBody.meta({ id: 'AudioPortalErrorBody' }),
  summary: 'Success: `{"success":true,…}`; error: `{"success":false,"error":"…"}`.',
  error: (_code, message) => ({ success: false, error: message }),
  read: messageOf(AudioPortalErrorBody, (b: { error: string }) => b.error),
});

export const WakeWordErrorBody = z.object({
  error: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});

/** The reference's error types: its table names `internal_error` for 500. */
const wakeWordType = (code: string): string => (code === 'internal' ? 'internal_error' : code);

/** Wake word: the object itself / `{"error":"<type>","message","details":{}}`. */
export const wakeWordEnvelope = bareEnvelope({
  errorSchema: WakeWordErrorBody.meta({ id: 'WakeWordErrorBody' }),
  summary: 'Error: `{"error":"<error_type>","message":"…","details":{}}`.',
  error: (code, message, _status, details) => ({
    error: wakeWordType(code),
    message,
    details: typeof details === 'object' && details !== null ? details : {},
  }),
  read: messageOf(WakeWordErrorBody, (b: { message: string }) => b.message),
});

export const InspectionErrorBody = z.object({ detail: z.string() });

/** Inspection: the object itself / `{"detail":"…"}`. */
export const inspectionEnvelope = bareEnvelope({
  errorSchema: InspectionErrorBody.meta({ id: 'InspectionErrorBody' }),
  summary: 'Error: `{"detail":"Human-readable error message"}`.',
  error: (_code, message) => ({ detail: message }),
  read: messageOf(InspectionErrorBody, (b: { detail: string }) => b.detail),
});
