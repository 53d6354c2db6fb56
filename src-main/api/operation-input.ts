import type { Request } from 'express';
import type { z } from 'zod';
import type { OperationDef, ReceivedFile } from '../../src-shared/contract/operation.js';
import { AppError } from '../core/errors.js';
import { validationError, type InputLocation } from './errors.js';
import { flattenParams } from './route-match.js';

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: InputLocation,
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}

export function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * A JSON body must say so: without `Content-Type: application/json` the body would be read as
 * nothing and the reply would name missing fields instead of the real mistake.
 */
export function requireJsonType(def: OperationDef, req: Request): void {
  if (def.body && !def.files && hasBody(req) && !req.is('application/json')) {
    throw new AppError(
      'unsupported_media_type',
      `send the request body as JSON with the header Content-Type: application/json (got ${
        req.headers['content-type'] === undefined
          ? 'no Content-Type'
          : JSON.stringify(req.headers['content-type'])
      })`,
    );
  }
}

/**
 * Parses path params, query and body with the contract and merges them into one input. With
 * `files`, the body is the multipart form's text fields and the files are already staged.
 */
export function parseOperationInput(
  def: OperationDef,
  req: Request,
  form?: { fields: Record<string, string>; files: Record<string, ReceivedFile> },
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  if (def.body) {
    // No body at all reads as `{}` so the message names the missing fields.
    const raw: unknown = form ? form.fields : (req.body ?? {});
    Object.assign(input, parseWith(def.body, raw, 'body'));
  }
  if (def.query) Object.assign(input, parseWith(def.query, req.query, 'query'));
  if (def.params) Object.assign(input, parseWith(def.params, flattenParams(req.params), 'path'));
  if (form) Object.assign(input, form.files);
  return input;
}
