#!/usr/bin/env node
// API latency while a run trains (issue 3: GET endpoints stay under 50 ms at the 99th percentile).
// Starts the real server on a fresh temp workspace, imports a generated image dataset, measures
// GET latencies once idle (baseline) and once while a run trains, and writes
// bench/results/api-latency.json plus a short table on stdout.
//
//   node bench/api-latency.mjs [--seconds 20] [--images 400] [--size 32] [--out <file>]
//
// The server is the built one (dist/main/src-main/server.js) when present, else the sources via
// tsx. Requests go one at a time (a UI polls this way); each sample is one full HTTP round trip.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { startServer, call } from './lib/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '20' },
    images: { type: 'string', default: '400' },
    size: { type: 'string', default: '32' },
    out: { type: 'string', default: path.join(root, 'bench', 'results', 'api-latency.json') },
  },
});
const seconds = Number(values.seconds);
const perClass = Math.max(4, Math.round(Number(values.images) / 2));
const size = Number(values.size);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function writeDataset(dir) {
  let state = 99;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (const cls of ['left', 'right']) {
    await mkdir(path.join(dir, cls), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const px = Buffer.alloc(size * size * 3);
      for (let p = 0; p < size * size; p++) {
        const x = p % size;
        const lit = cls === 'left' ? x < size / 2 : x >= size / 2;
        const v = Math.round((lit ? 170 : 40) + rand() * 60);
        px[p * 3] = v;
        px[p * 3 + 1] = v;
        px[p * 3 + 2] = v;
      }
      const png = await sharp(px, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toBuffer();
      await writeFile(path.join(dir, cls, `${cls}-${i}.png`), png);
    }
  }
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? null;
  const round = (v) => (v === null ? null : Math.round(v * 100) / 100);
  return {
    count: s.length,
    p50_ms: round(q(0.5)),
    p90_ms: round(q(0.9)),
    p99_ms: round(q(0.99)),
    max_ms: round(s.at(-1) ?? null),
    mean_ms: round(s.reduce((a, b) => a + b, 0) / Math.max(1, s.length)),
  };
}

/** Round-robin over the GET endpoints until `until()` says stop; latency per endpoint. */
async function measure(base, endpoints, until) {
  const per = Object.fromEntries(endpoints.map((e) => [e.name, []]));
  for (let i = 0; !(await until()); i++) {
    const e = endpoints[i % endpoints.length];
    const t0 = performance.now();
    const res = await fetch(`${base}${e.path}`);
    await res.arrayBuffer();
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`GET ${e.path}: ${res.status}`);
    per[e.name].push(ms);
  }
  const all = Object.values(per).flat();
  return {
    overall: stats(all),
    endpoints: Object.fromEntries(Object.entries(per).map(([k, v]) => [k, stats(v)])),
  };
}

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-api-'));
  const server = startServer(path.join(tmp, 'ws'));
  try {
    const base = await server.base;
    const data = path.join(tmp, 'data');
    await writeDataset(data);
    const project = await call(base, 'POST', '/api/projects', {
      name: 'bench',
      task: 'classification',
    });
    const pid = project.id;
    const job = await call(base, 'POST', `/api/datasets/${pid}/import/local`, { path: data });
    while ((await call(base, 'GET', `/api/jobs/${job.job_id}`)).status !== 'completed')
      await sleep(100);
    await call(base, 'POST', `/api/splits/${pid}`, {
      name: 'main',
      ratios: { train: 0.8, val: 0.2, test: 0 },
    });
    const exp = await call(base, 'POST', `/api/training/${pid}/experiments`, {
      name: 'bench',
      split_index: 0,
      config: {
        architecture: 'small-cnn',
        input: { width: size, height: size, channels: 3 },
        epochs: 1000,
        batch_size: 32,
        early_stopping: { enabled: false },
      },
    });
    const endpoints = (runId) => [
      { name: 'projects', path: '/api/projects' },
      { name: 'dataset', path: `/api/datasets/${pid}` },
      { name: 'images', path: `/api/datasets/${pid}/images?page=1&page_size=50` },
      { name: 'experiments', path: `/api/training/${pid}/experiments` },
      ...(runId ? [{ name: 'run', path: `/api/training/${pid}/runs/${runId}` }] : []),
      { name: 'health', path: '/api/system/health' },
    ];

    const idleEnd = performance.now() + Math.min(5, seconds) * 1000;
    const idle = await measure(base, endpoints(null), async () => performance.now() > idleEnd);

    const { run_id } = await call(base, 'POST', `/api/training/${pid}/experiments/${exp.id}/run`);
    // Measure while it really trains: from its first progress in the training phase.
    for (;;) {
      const run = await call(base, 'GET', `/api/training/${pid}/runs/${run_id}`);
      if (run.status !== 'running' && run.status !== 'pending') {
        throw new Error(`run ended before the measurement: ${run.status} ${run.message}`);
      }
      if (run.progress?.phase === 'training') break;
      await sleep(100);
    }
    let lastCheck = 0;
    let stillTraining = true;
    const end = performance.now() + seconds * 1000;
    const training = await measure(base, endpoints(run_id), async () => {
      if (performance.now() - lastCheck > 1000) {
        lastCheck = performance.now();
        const run = await call(base, 'GET', `/api/training/${pid}/runs/${run_id}`);
        stillTraining &&= run.status === 'running';
      }
      return performance.now() > end || !stillTraining;
    });
    const run = await call(base, 'POST', `/api/training/${pid}/runs/${run_id}/stop`);

    const result = {
      benchmark: 'api-latency',
      created_at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        platform: `${os.platform()} ${os.arch()}`,
        node: process.version,
      },
      server: server.source,
      dataset: { images: perClass * 2, size },
      run: {
        run_id,
        backend: run.backend,
        epochs_done: run.metrics.history.length,
        trained_throughout: stillTraining,
      },
      seconds,
      goal: 'GET p99 < 50 ms while a run trains',
      idle,
      while_training: training,
      meets_goal: training.overall.p99_ms !== null && training.overall.p99_ms < 50,
    };
    await mkdir(path.dirname(values.out), { recursive: true });
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);

    const row = (name, s) =>
      `${name.padEnd(22)} ${String(s.count).padStart(6)} ${String(s.p50_ms).padStart(8)} ${String(s.p99_ms).padStart(8)} ${String(s.max_ms).padStart(8)}`;
    console.log(
      `API latency (GET, ms) — ${result.dataset.images} images ${size}px, backend ${run.backend}`,
    );
    console.log(
      `${'phase / endpoint'.padEnd(22)} ${'n'.padStart(6)} ${'p50'.padStart(8)} ${'p99'.padStart(8)} ${'max'.padStart(8)}`,
    );
    console.log(row('idle (all)', idle.overall));
    console.log(row('training (all)', training.overall));
    for (const [k, v] of Object.entries(training.endpoints)) console.log(row(`  training ${k}`, v));
    console.log(
      `goal p99 < 50 ms while training: ${result.meets_goal ? 'met' : 'NOT met'} → ${values.out}`,
    );
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`api-latency: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
