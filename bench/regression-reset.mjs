#!/usr/bin/env node
// How long `POST /reset` takes while `/train` runs (issue 8: it used to wait behind the training,
// 16 s). Starts the real server on a fresh workspace, uploads a 2000-row table, starts a long
// training, waits until its job has finished an epoch, then times the reset and the end of the
// cancelled training. Writes bench/results/regression-reset.json and a line on stdout.
//
//   node bench/regression-reset.mjs [--repeats 3] [--out <file>]
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServer } from './lib/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '3' },
    out: { type: 'string', default: path.join(root, 'bench', 'results', 'regression-reset.json') },
  },
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Friedman #1, 2000 rows, seeded: the same table every run. */
function table() {
  let s = 7;
  const r = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const rows = ['x1,x2,x3,x4,x5,y'];
  for (let i = 0; i < 2000; i++) {
    const x = [r(), r(), r(), r(), r()];
    const y = 10 * Math.sin(Math.PI * x[0] * x[1]) + 20 * (x[2] - 0.5) ** 2 + 10 * x[3] + 5 * x[4];
    rows.push([...x, y].join(','));
  }
  return rows.join('\n');
}

async function once(base) {
  const form = new FormData();
  form.append('target_column', 'y');
  form.append('file', new Blob([table()]), 'friedman.csv');
  const up = await fetch(`${base}/upload`, { method: 'POST', body: form });
  if (up.status !== 200) throw new Error(`upload: ${up.status} ${await up.text()}`);
  const train = fetch(`${base}/train`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ epochs: 5000, hidden_layers: [64, 32], batch_size: 32 }),
  }).then(async (res) => ({ status: res.status, at: performance.now() }));
  let job;
  for (;;) {
    const page = await (
      await fetch(`${base}/api/jobs?kind=regression-training&status=running`)
    ).json();
    job = page.data.items[0];
    if (job && job.done >= 1) break;
    await sleep(20);
  }
  const t0 = performance.now();
  const reset = await fetch(`${base}/reset`, { method: 'POST' });
  const resetMs = performance.now() - t0;
  if (reset.status !== 200) throw new Error(`reset: ${reset.status}`);
  const ended = await train;
  const end = (await (await fetch(`${base}/api/jobs/${job.id}`)).json()).data;
  return {
    reset_ms: Math.round(resetMs),
    train_answered_ms: Math.round(ended.at - t0),
    train_status: ended.status,
    job_status: end.status,
    epochs_done: end.done,
  };
}

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-reset-'));
  const server = startServer(path.join(tmp, 'ws'));
  try {
    const base = await server.base;
    const samples = [];
    for (let i = 0; i < Number(values.repeats); i++) samples.push(await once(base));
    const worst = Math.max(...samples.map((s) => s.reset_ms));
    const result = {
      benchmark: 'regression-reset',
      created_at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        platform: `${os.platform()} ${os.arch()}`,
        node: process.version,
      },
      server: server.source,
      goal: '/reset during /train answers promptly (it waited 16 s behind the training before)',
      samples,
      worst_reset_ms: worst,
    };
    await mkdir(path.dirname(values.out), { recursive: true });
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
    for (const s of samples) {
      console.log(
        `reset during training: ${s.reset_ms} ms (train answered ${s.train_status} after ${s.train_answered_ms} ms, job ${s.job_status} at epoch ${s.epochs_done})`,
      );
    }
    console.log(`worst ${worst} ms → ${values.out}`);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
