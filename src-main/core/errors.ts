import type { ErrorCode } from '../../src-shared/contract/common.js';

/** An expected failure, with a code every adapter maps to its status and envelope. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const badRequest = (message: string, details?: unknown): AppError =>
  new AppError('bad_request', message, details);

/** For bugs: a broken assumption, never bad input. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant failed: ${message}`);
}

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
