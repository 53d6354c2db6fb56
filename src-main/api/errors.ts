import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../core/workstation.js';
import { z } from 'zod';
import { STATUS_OF, type ErrorCode } from '../../src-shared/contract/common.js';
import { families } from '../../src-shared/contract/families/index.js';
import { trainingPlatform } from '../../src-shared/contract/families/training-platform.js';
import { familyForPath, type FamilyDef } from '../../src-shared/contract/family.js';
import type { OperationDef } from '../../src-shared/contract/operation.js';
import { AppError } from '../core/errors.js';

export { STATUS_OF };

/** A failure in a family's own envelope (the training platform's when no family owns the path). */
export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  details?: unknown,
  family: FamilyDef = trainingPlatform,
): void {
  const status = STATUS_OF[code];
  res.status(status).json(family.envelope.error(code, message, status, details));
}

export type InputLocation = 'path' | 'query' | 'body';

/** `ratios.train: Too big…; name: Required` — readable in a terminal, details keep the structure. */
export function validationError(error: z.ZodError, where?: InputLocation): AppError {
  const issues = error.issues.map((issue) => ({
    ...(where ? { in: where } : {}),
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const message = issues
    .map((i) => `${i.path || `(${where ?? 'input'})`}: ${i.message}`)
    .join('; ');
  return new AppError('validation_error', message, { issues });
}

/** Errors raised by Express itself and its body parsers carry `type`/`status`; map them to our codes. */
interface HttpishError {
  readonly type?: unknown;
  readonly status?: unknown;
  readonly statusCode?: unknown;
  readonly expose?: unknown;
  readonly message?: unknown;
}

function fromHttpError(err: HttpishError): AppError | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return new AppError('invalid_json', 'the body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'the body is too large');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError('unsupported_media_type', String(err.message ?? 'unsupported encoding'));
    case 'request.aborted':
      return new AppError('bad_request', 'request aborted');
    default:
      break;
  }
  const status = typeof err.status === 'number' ? err.status : err.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return null;
  if (err instanceof URIError)
    return new AppError('bad_request', 'malformed percent-encoding in URL');
  if (status === 404) return new AppError('not_found', 'not found');
  if (status === 413) return new AppError('payload_too_large', 'request is too large');
  if (status === 415) return new AppError('unsupported_media_type', 'unsupported media type');
  // Other client errors from the stack (bad ranges, bad headers): a 400 with its safe message.
  const message =
    err.expose === true && typeof err.message === 'string' ? err.message : 'bad request';
  return new AppError('bad_request', message);
}

export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  if (typeof err === 'object' && err !== null) return fromHttpError(err as HttpishError);
  return null;
}

/** What the operation routes leave on `res.locals` for the error handler. */
export interface RouteLocals {
  /** The operation being served; errors of the adapter itself get its failure prefix. */
  operation?: OperationDef;
  /** The family of a route that is not an operation (a stream). */
  family?: FamilyDef;
}

/** The family a request belongs to: its operation's, else the one owning the path. */
export function familyOf(
  path: string,
  locals: RouteLocals,
  known: readonly FamilyDef[] = families,
): FamilyDef {
  return (
    locals.operation?.family ?? locals.family ?? familyForPath(known, path) ?? trainingPlatform
  );
}

/** Adapter errors (not the service's, which word their own) carry the endpoint's prefix. */
export function adapterError(err: AppError, op: OperationDef | undefined): AppError {
  if (!op?.failurePrefix || err.message.startsWith(op.failurePrefix)) return err;
  return new AppError(err.code, `${op.failurePrefix}: ${err.message}`, err.details);
}

/**
 * The single error middleware: expected errors become their family's envelope, bugs a generic
 * 500. `known` lists the families served (those of extra modules included).
 */
export function errorHandler(
  logger: Logger,
  known: readonly FamilyDef[] = families,
): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Mid-stream failure (file send, SSE): nothing sensible can be sent, end the connection.
      logger.warn({ err, url: req.originalUrl }, 'error after response started');
      next(err);
      return;
    }
    const locals = res.locals as RouteLocals;
    const family = familyOf(req.originalUrl.split('?')[0] ?? '/', locals, known);
    const appError = toAppError(err);
    if (appError) {
      sendError(res, appError.code, appError.message, appError.details, family);
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    // References that word failures per endpoint ("Training failed: …") keep that wording.
    const prefix = locals.operation?.failurePrefix;
    const message = 'internal error; see the server log';
    sendError(res, 'internal', prefix ? `${prefix}: ${message}` : message, undefined, family);
  };
}

/** Unknown routes: 404 in the envelope of the family owning the path. */
export function notFoundHandler(known: readonly FamilyDef[] = families): RequestHandler {
  return (req, res) => {
    const path = req.originalUrl.split('?')[0] ?? '';
    const family = familyOf(path, res.locals as RouteLocals, known);
    sendError(res, 'not_found', `no route ${req.method} ${path}`, undefined, family);
  };
}
