// Shared by the training API tests: a tiny learnable image dataset, tiny configs, an SSE reader
// and polling helpers that work over any HTTP base (supertest's app or a spawned server).
import http from 'node:http';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import {
  Experiment,
  Run,
  RunStarted,
  type ExperimentConfigInput,
} from '../../src-shared/contract/training.js';
import { createProject, okData, waitForJob, type TestApp } from './helpers/test-app.js';

/**
 * Distinct 16×16 grey PNGs in class folders: `left` is bright on its left half, `right` on its
 * right half, `top` (when asked for) on its top half, each with seeded noise so that none is a
 * duplicate of another and a small CNN separates them in a couple of epochs.
 */
export async function writeImageDataset(
  dir: string,
  perClass: number,
  classes: readonly ('left' | 'right' | 'top')[] = ['left', 'right'],
  size = 16,
): Promise<void> {
  let state = 12345;
  const rand = (): number => {
    // LCG: deterministic pixels, so every run of the test sees the same dataset.
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (const cls of classes) {
    await mkdir(path.join(dir, cls), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const px = Buffer.alloc(size * size);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const lit =
            cls === 'left' ? x < size / 2 : cls === 'right' ? x >= size / 2 : y < size / 2;
          px[y * size + x] = Math.round((lit ? 170 : 40) + rand() * 60);
        }
      }
      const png = await sharp(px, { raw: { width: size, height: size, channels: 1 } })
        .png()
        .toBuffer();
      await writeFile(path.join(dir, cls, `${cls}-${i}.png`), png);
    }
  }
}

/** A config that trains in seconds on two cores. */
export function tinyConfig(overrides: ExperimentConfigInput = {}): ExperimentConfigInput {
  return {
    architecture: 'small-cnn',
    input: { width: 16, height: 16, channels: 1 },
    epochs: 2,
    batch_size: 4,
    seed: 7,
    // Left and right must not swap, and every run goes its full number of epochs.
    augmentation: { flip_horizontal: false, rotation_degrees: 0, crop_fraction: 0 },
    early_stopping: { enabled: false },
    ...overrides,
  };
}

export interface SseEvent {
  readonly event: string;
  readonly data: string;
}

export interface SseStream {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly events: SseEvent[];
  readonly comments: number;
}

/** Reads an event stream until the server closes it. */
export function readEventStream(port: number, urlPath: string): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, headers: { Accept: 'text/event-stream' } },
      (res) => {
        let buffer = '';
        const events: SseEvent[] = [];
        let comments = 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            const data: string[] = [];
            let comment = false;
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) comment = true;
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length > 0) events.push({ event, data: data.join('\n') });
            else if (comment) comments++;
          }
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, events, comments }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A project with a tiny two-class image dataset, one split and a one-epoch run trained to
 * completion through the HTTP API: the starting point of the evaluation and export tests.
 */
export async function trainTinyRun(
  t: TestApp,
  opts: {
    readonly name: string;
    readonly perClass: number;
    readonly ratios: { readonly train: number; readonly val: number; readonly test: number };
  },
): Promise<{ readonly pid: string; readonly expId: string; readonly runId: string }> {
  const pid = (await createProject(t.app, opts.name)).id;
  const dir = await mkdtemp(path.join(t.root, 'data-'));
  await writeImageDataset(dir, opts.perClass, ['left', 'right']);
  const started = okData(
    await request(t.app).post(`/api/datasets/${pid}/import/local`).send({ path: dir }),
    ImportStarted,
  );
  const job = await waitForJob(t.app, started.job_id);
  if (job.status !== 'completed') throw new Error(`import ${job.status}: ${job.error ?? ''}`);
  await request(t.app)
    .post(`/api/splits/${pid}`)
    .send({ name: 's', ratios: opts.ratios, seed: 3 })
    .expect(200);
  const expId = okData(
    await request(t.app)
      .post(`/api/training/${pid}/experiments`)
      .send({ name: 'tiny', split_index: 0, config: tinyConfig({ epochs: 1 }) }),
    Experiment,
  ).id;
  const runId = okData(
    await request(t.app).post(`/api/training/${pid}/experiments/${expId}/run`),
    RunStarted,
  ).run_id;
  for (;;) {
    const run = okData(await request(t.app).get(`/api/training/${pid}/runs/${runId}`), Run);
    if (run.status === 'completed') return { pid, expId, runId };
    if (['failed', 'interrupted', 'stopped'].includes(run.status))
      throw new Error(run.message ?? run.status);
    await sleep(50);
  }
}
