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

export interface RunSetup {
  readonly projectName: string;
  /** A folder whose sub-folders are the classes. */
  readonly folder: string;
  /** The experiment: a name and, optionally, a config (absent: the task's defaults). */
  readonly experiment: { readonly name: string; readonly config?: object };
  readonly timeout: number;
}

/**
 * A project set up over the API for speed: the folder imported, a seeded 60/20/20 split and the
 * experiment created (not yet run).
 */
export async function setupExperiment(
  request: APIRequestContext,
  base: string,
  setup: RunSetup,
): Promise<{ pid: string; expId: string }> {
  const { timeout } = setup;
  const { id: pid } = await api<{ id: string }>(request, 'POST', `${base}/api/projects`, {
    name: setup.projectName,
  });
  const job = await api<{ job_id: string }>(
    request,
    'POST',
    `${base}/api/datasets/${pid}/import/local`,
    { path: setup.folder },
  );
  const jobStatus = async (): Promise<string> =>
    (await api<{ status: string }>(request, 'GET', `${base}/api/jobs/${job.job_id}`)).status;
  await expect.poll(jobStatus, { timeout }).toBe('completed');
  await api(request, 'POST', `${base}/api/splits/${pid}`, {
    name: 'baseline',
    ratios: { train: 0.6, val: 0.2, test: 0.2 },
    seed: 1,
  });
  const exp = await api<{ id: string }>(
    request,
    'POST',
    `${base}/api/training/${pid}/experiments`,
    {
      ...setup.experiment,
      split_index: 0,
    },
  );
  return { pid, expId: exp.id };
}

/** `setupExperiment`, then the experiment's run trained to completion. */
export async function trainRun(
  request: APIRequestContext,
  base: string,
  setup: RunSetup,
): Promise<{ pid: string; runId: string }> {
  const { timeout } = setup;
  const { pid, expId } = await setupExperiment(request, base, setup);
  const { run_id: runId } = await api<{ run_id: string }>(
    request,
    'POST',
    `${base}/api/training/${pid}/experiments/${expId}/run`,
  );
  const runUrl = `${base}/api/training/${pid}/runs/${runId}`;
  const runStatus = async (): Promise<string> =>
    (await api<{ status: string }>(request, 'GET', runUrl)).status;
  await expect.poll(runStatus, { timeout }).toMatch(/completed|failed|stopped|interrupted/);
  const run = await api<{ status: string; message: string | null }>(request, 'GET', runUrl);
  expect(run.status, run.message ?? '').toBe('completed');
  return { pid, runId };
}
