import type { APIRequestContext } from '@playwright/test';
import { expect } from './fixtures.js';

/** The training platform's success envelope. */
export interface Envelope<T> {
  readonly status: string;
  readonly data: T;
}

/** One training-platform call from a spec's setup: asserts the ok envelope, returns `data`. */
export async function api<T>(
  request: APIRequestContext,
  method: 'GET' | 'POST',
  url: string,
  body?: object,
): Promise<T> {
  const res = await request.fetch(url, { method, ...(body === undefined ? {} : { data: body }) });
  const json = (await res.json()) as Envelope<T>;
  expect(json.status, `${method} ${url}: ${JSON.stringify(json)}`).toBe('ok');
  return json.data;
}
