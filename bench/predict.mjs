#!/usr/bin/env node
// Try it / the predict operation: the first call (ONNX export in a worker, parity check, session
// load) and warm calls of a completed run, as the server measures them (`time_ms`: features +
// onnxruntime) and as a lab script sees them (one HTTP round trip, multipart PNG). Writes
// bench/results/predict.json plus a short table on stdout.
//
//   node bench/predict.mjs [--calls 100] [--size 32] [--epochs 2]
//
// The server is the built one (dist/main/src-main/server.js) when present, else the sources.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { startServer, call } from './lib/server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    calls: { type: 'string', default: '100' },
    size: { type: 'string', default: '32' },
    epochs: { type: 'string', default: '2' },
    out: { type: 'string', default: path.join(root, 'bench', 'results', 'predict.json') },
  },
});
const calls = Number(values.calls);
const size = Number(values.size);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function writeDataset(dir) {
  let state = 7;
  const rand = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  for (const cls of ['left', 'right']) {
    await mkdir(path.join(dir, cls), { recursive: true });
    for (let i = 0; i < 24; i++) {
      const px = Buffer.alloc(size * size * 3);
      for (let p = 0; p < size * size; p++) {
        const lit = cls === 'left' ? p % size < size / 2 : p % size >= size / 2;
        px.fill(Math.round((lit ? 170 : 40) + rand() * 60), p * 3, p * 3 + 3);
      }
      const png = await sharp(px, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toBuffer();
      await writeFile(path.join(dir, cls, `${cls}-${i}.png`), png);
    }
  }
}

async function predict(base, url, png) {
  const form = new FormData();
  form.append('file', new Blob([png], { type: 'image/png' }), 'probe.png');
  const t0 = performance.now();
  const res = await fetch(`${base}${url}`, { method: 'POST', body: form });
  const json = await res.json();
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`predict: ${res.status} ${JSON.stringify(json)}`);
  return { ms, data: json.data };
}

const q = (samples, p) => {
  const s = [...samples].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)] ?? 0) * 100) / 100;
};

async function main() {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-predict-'));
  const server = startServer(path.join(tmp, 'ws'));
  try {
    const base = await server.base;
    const data = path.join(tmp, 'data');
    await writeDataset(data);
    const { id: pid } = await call(base, 'POST', '/api/projects', { name: 'bench' });
    const job = await call(base, 'POST', `/api/datasets/${pid}/import/local`, { path: data });
    while (
      !['completed', 'failed'].includes((await call(base, 'GET', `/api/jobs/${job.job_id}`)).status)
    )
      await sleep(100);
    await call(base, 'POST', `/api/splits/${pid}`, {
      name: 's',
      ratios: { train: 0.8, val: 0.2, test: 0 },
      seed: 1,
    });
    const exp = await call(base, 'POST', `/api/training/${pid}/experiments`, {
      name: 'cnn',
      split_index: 0,
      config: {
        architecture: 'small-cnn',
        input: { width: size, height: size, channels: 3 },
        epochs: Number(values.epochs),
      },
    });
    const { run_id: runId } = await call(
      base,
      'POST',
      `/api/training/${pid}/experiments/${exp.id}/run`,
    );
    for (;;) {
      const run = await call(base, 'GET', `/api/training/${pid}/runs/${runId}`);
      if (run.status === 'completed') break;
      if (['failed', 'stopped', 'interrupted'].includes(run.status)) throw new Error(run.message);
      await sleep(200);
    }
    const png = await readFile(path.join(data, 'left', 'left-0.png'));
    const url = `/api/training/${pid}/runs/${runId}/predict`;
    const first = await predict(base, url, png);
    const http = [];
    const server_ms = [];
    for (let i = 0; i < calls; i++) {
      const r = await predict(base, url, png);
      http.push(r.ms);
      server_ms.push(r.data.time_ms);
    }
    const health = await call(base, 'GET', '/api/system/health');
    const result = {
      machine: { cpus: os.cpus().length, node: process.versions.node },
      server: server.source,
      model: `small-cnn ${size}x${size}x3`,
      first_call: {
        http_ms: Math.round(first.ms),
        total_ms: Math.round(first.data.total_ms),
        first_use: first.data.first_use,
      },
      warm: {
        calls,
        server_time_ms_p50: q(server_ms, 0.5),
        server_time_ms_p99: q(server_ms, 0.99),
        http_ms_p50: q(http, 0.5),
        http_ms_p99: q(http, 0.99),
      },
      models_loaded: health.models_loaded,
    };
    await mkdir(path.dirname(values.out), { recursive: true });
    await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`predict (${result.model}, ${server.source} server)`);
    console.log(
      `  first call (export + parity + session): ${result.first_call.http_ms} ms over HTTP`,
    );
    console.log(
      `  warm: features + onnxruntime p50 ${result.warm.server_time_ms_p50} ms, p99 ${result.warm.server_time_ms_p99} ms; ` +
        `HTTP round trip p50 ${result.warm.http_ms_p50} ms, p99 ${result.warm.http_ms_p99} ms (${calls} calls)`,
    );
    console.log(`  /health models_loaded: ${result.models_loaded}`);
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
