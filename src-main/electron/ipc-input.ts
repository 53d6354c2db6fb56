import { type z } from 'zod';
import type { ErrorCode, IpcResult } from '../../src-shared/contract/common.js';
import { ERROR_CODES } from '../../src-shared/contract/common.js';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  IpcFileInput,
  type OperationDef,
  type ReceivedFile,
} from '../../src-shared/contract/operation.js';

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
 * IPC carries one object per call: path params, query and body fields (and files) merged, as the
 * renderer's client sends them. Split it back along the contract's own schemas (params and query
 * keys are known from their shapes, files from `files`; everything else is the body) and parse
 * each part exactly as the HTTP router does, so both adapters accept and refuse the same inputs.
 * Files are only checked here; `stageFiles` copies them once the rest has passed.
 */
export function parseOperationInput(
  name: string,
  def: OperationDef,
  raw: unknown,
): { input: Record<string, unknown>; files: Record<string, IpcFileInput> } {
  const input = raw === undefined || raw === null ? {} : raw;
  if (!isPlainObject(input)) {
    throw new IpcInputError('validation_error', `${name} takes one object argument`);
  }
  const rest: Record<string, unknown> = { ...input };
  const take = (keys: readonly string[]): Record<string, unknown> => {
    const part: Record<string, unknown> = {};
    for (const key of keys) {
      if (key in rest) part[key] = rest[key];
      delete rest[key];
    }
    return part;
  };
  const params = def.params ? parseWith(def.params, take(Object.keys(def.params.shape))) : {};
  const query = def.query ? parseWith(def.query, take(Object.keys(def.query.shape))) : {};
  const files: Record<string, IpcFileInput> = {};
  for (const [key, field] of Object.entries(def.files ?? {})) {
    const value = take([key])[key];
    if (value === undefined) {
      if (field.required) throw new IpcInputError('validation_error', `${key}: a file is required`);
      continue;
    }
    files[key] = parseWith(IpcFileInput, value);
  }
  // Operations without a body ignore extra fields, as their HTTP routes do.
  const body = def.body ? parseWith(def.body, rest) : {};
  return {
    input: { ...(body as object), ...(query as object), ...(params as object) },
    files,
  };
}

/**
 * Stages each file into `tmpDir` (a path is copied, never handed over: the handler deletes what
 * it is given) within `maxBytes`; on failure removes what it staged.
 */
export async function stageFiles(
  files: Readonly<Record<string, IpcFileInput>>,
  tmpDir: string,
  maxBytes: number,
): Promise<Record<string, ReceivedFile>> {
  await mkdir(tmpDir, { recursive: true });
  const staged: Record<string, ReceivedFile> = {};
  try {
    for (const [key, file] of Object.entries(files)) {
      const target = path.join(tmpDir, `ipc-${randomBytes(8).toString('hex')}`);
      if ('path' in file) {
        const info = await stat(file.path).catch(() => null);
        if (!info?.isFile())
          throw new IpcInputError('bad_request', `${key}: not a file: ${file.path}`);
        if (info.size > maxBytes) {
          throw new IpcInputError(
            'payload_too_large',
            `${key}: over the limit of ${maxBytes} bytes`,
          );
        }
        staged[key] = { path: target, filename: file.filename ?? path.basename(file.path) };
        await copyFile(file.path, target);
      } else {
        if (file.bytes.byteLength > maxBytes) {
          throw new IpcInputError(
            'payload_too_large',
            `${key}: over the limit of ${maxBytes} bytes`,
          );
        }
        staged[key] = { path: target, filename: file.filename };
        await writeFile(target, file.bytes);
      }
    }
  } catch (err) {
    await Promise.all(Object.values(staged).map((f) => rm(f.path, { force: true })));
    throw err;
  }
  return staged;
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
