import {
  RegressionPredictResponse,
  RegressionResetResponse,
  RegressionState,
  RegressionTrainResponse,
  RegressionUploadResponse,
  type RegressionTrainInput,
} from '../../src-shared/contract/regression.js';
import type { z } from 'zod';
import type { IpcResult } from '../../src-shared/contract/common.js';

/**
 * The tabular-regression family over HTTP to the page's own origin (its routes are the
 * reference's, outside the IPC contract). Errors arrive as `{"status":"error","message"}` and are
 * thrown as plain Errors carrying that message.
 */

async function send<S extends z.ZodType>(
  schema: S,
  url: string,
  init?: RequestInit,
): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new Error('Cannot reach the workstation server. Is it running?');
  }
  const body = (await res.json().catch(() => null)) as { status?: string; message?: string } | null;
  if (!res.ok || body?.status === 'error') {
    throw new Error(body?.message ?? `The server answered ${res.status}`);
  }
  return schema.parse(body) as z.infer<S>;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** In Electron the page's origin is app://, not the server: the bridge carries the same calls. */
async function viaBridge<T>(call: () => Promise<IpcResult<T>>): Promise<T> {
  const result = await call();
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

const bridge = window.assayBridge?.regression;

/** Whether the server's PNG and model files can be linked (not over IPC). */
export const outputsLinkable = bridge === undefined;

const httpClient = {
  upload(file: File, targetColumn: string | null) {
    const form = new FormData();
    if (targetColumn !== null) form.append('target_column', targetColumn);
    form.append('file', file, file.name);
    return send(RegressionUploadResponse, '/upload', { method: 'POST', body: form });
  },
  train(input: RegressionTrainInput) {
    return send(RegressionTrainResponse, '/train', json(input));
  },
  predict(inputs: readonly number[]) {
    return send(RegressionPredictResponse, '/predict', json({ inputs }));
  },
  reset() {
    return send(RegressionResetResponse, '/reset', { method: 'POST' });
  },
  async state() {
    const res = await fetch('/api/regression/state');
    const body = (await res.json()) as {
      status: string;
      data?: unknown;
      error?: { message: string };
    };
    if (body.status !== 'ok') throw new Error(body.error?.message ?? 'state unavailable');
    return RegressionState.parse(body.data);
  },
};

export const regressionClient: typeof httpClient =
  bridge === undefined
    ? httpClient
    : {
        upload: (file, targetColumn) =>
          viaBridge(() => bridge.upload(file, file.name, targetColumn)),
        train: (input) => viaBridge(() => bridge.train(input)),
        predict: (inputs) => viaBridge(() => bridge.predict(inputs)),
        reset: () => viaBridge(() => bridge.reset()),
        state: () => viaBridge(() => bridge.state()),
      };
