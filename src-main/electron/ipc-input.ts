import { type z } from 'zod';
import type { ErrorCode, IpcResult } from '../../src-shared/contract/common.js';
import { ERROR_CODES } from '../../src-shared/contract/common.js';
import {
  operations,
  type OperationDef,
  type OperationName,
  type OperationParsedInput,
} from '../../src-shared/contract/operations.js';

/** Raised for IPC input that does not match the contract; becomes a validation_error result. */
export class IpcInputError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IpcInputError';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.map(String).join('.') || '(input)'}: ${issue.message}`)
    .join('; ');
}

/** Parses with a contract schema; a mismatch becomes a validation_error with readable issues. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new IpcInputError('validation_error', describeIssues(result.error));
  return result.data;
}

/**
 * IPC carries one object per call: path params, query and body fields merged, as the renderer's
 * client sends them. Split it back along the contract's own schemas (params and query keys are
 * known from their shapes; everything else is the body) and parse each part exactly as the HTTP
 * router does, so both adapters accept and refuse the same inputs.
 */
export function parseOperationInput<N extends OperationName>(
  name: N,
  raw: unknown,
): OperationParsedInput<N> {
  const def: OperationDef = operations[name];
  const input = raw === undefined || raw === null ? {} : raw;
  if (!isPlainObject(input)) {
    throw new IpcInputError('validation_error', `${name} takes one object argument`);
  }
  const rest: Record<string, unknown> = { ...input };
  const take = (schema: z.ZodObject | undefined): Record<string, unknown> => {
    const part: Record<string, unknown> = {};
    for (const key of Object.keys(schema?.shape ?? {})) {
      if (key in rest) part[key] = rest[key];
      delete rest[key];
    }
    return part;
  };
  const params = def.params ? parseWith(def.params, take(def.params)) : {};
  const query = def.query ? parseWith(def.query, take(def.query)) : {};
  // Operations without a body ignore extra fields, as their HTTP routes do.
  const body = def.body ? parseWith(def.body, rest) : {};
  return {
    ...(body as object),
    ...(query as object),
    ...(params as object),
  } as OperationParsedInput<N>;
}

interface CodedError {
  readonly code?: unknown;
  readonly message?: unknown;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * Errors are data at the boundary: expected failures (AppError and friends, which carry one of
 * the contract's codes) keep their code and message; anything else is a bug, logged by the caller
 * and reported without its stack.
 */
export function toIpcFailure(err: unknown): IpcResult<never> & { ok: false } {
  const coded = (typeof err === 'object' && err !== null ? err : {}) as CodedError;
  if (
    err instanceof Error &&
    typeof coded.code === 'string' &&
    KNOWN_CODES.has(coded.code) &&
    coded.code !== 'internal'
  ) {
    return { ok: false, error: { code: coded.code as ErrorCode, message: err.message } };
  }
  return { ok: false, error: { code: 'internal', message: 'internal error (see the log)' } };
}
