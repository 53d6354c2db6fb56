import { WorkstationError } from '../../src-shared/contract/client.js';

/** The sentence a person should see for a failure; never a stack trace. */
export function errorMessage(e: unknown): string {
  if (e instanceof WorkstationError) return e.message;
  if (e instanceof Error && e.message) return e.message;
  return 'Something went wrong.';
}
