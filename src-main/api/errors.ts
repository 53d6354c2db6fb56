import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../core/workstation.js';
import { z } from 'zod';
import type { ErrorBody, ErrorCode } from '../../src-shared/contract/common.js';
import { AppError } from '../core/errors.js';

/** The one code → HTTP status table every training-platform route answers with. */
export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  validation_error: 400,
  invalid_json: 400,
  unsupported_media_type: 415,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  forbidden: 403,
  unprocessable: 422,
  internal: 500,
};

export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  details?: unknown,
): void {
  const body: ErrorBody = {
    status: 'error',
    error: details === undefined ? { code, message } : { code, message, details },
  };
  res.status(STATUS_OF[code]).json(body);
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
      return new AppError('invalid_json', 'request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload_too_large', 'request body is too large');
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

/** The single error middleware: expected errors become their envelope, bugs a generic 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      // Mid-stream failure (file send, SSE): nothing sensible can be sent, end the connection.
      logger.warn({ err, url: req.originalUrl }, 'error after response started');
      next(err);
      return;
    }
    const appError = toAppError(err);
    if (appError) {
      sendError(res, appError.code, appError.message, appError.details);
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    sendError(res, 'internal', 'internal error; see the server log');
  };
}

export const notFoundHandler: RequestHandler = (req, res) => {
  const path = req.originalUrl.split('?')[0] ?? '';
  sendError(res, 'not_found', `no route ${req.method} ${path}`);
};
