/**
 * The audio portal's dataset slice (issue 9): the onset detector's speed (seconds of audio per
 * CPU-second, one thread) and its accuracy on generated recordings (an event is found when a
 * detected onset lies within 30 ms of a true one), and the latency of `POST /api/dataset/upload`
 * for a 5 s clip and of `GET /api/dataset/info` over the uploaded set, through a real HTTP
 * listener on a fresh workspace. Writes bench/results/audio-dataset.json.
 *
 *   node --import tsx bench/audio-dataset.ts [--clips 300] [--uploads 20]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createApp } from '../src-main/api/app.js';
import { clipWav, generateClip } from '../src-main/core/audio-portal/generate.js';
import { detectOnsets } from '../src-main/core/audio-portal/onsets.js';
import { silentLogger } from '../src-main/core/services/logger.js';
import { openWorkstation } from '../src-main/core/workstation.js';

const { values } = parseArgs({
  options: {
    clips: { type: 'string', default: '300' },
    uploads: { type: 'string', default: '20' },
  },
});
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const labels = ['gold', 'iron', 'other'] as const;
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
};
const ms = (v: number): number => Number(v.toFixed(2));

// Accuracy and speed of the detector.
let truth = 0;
let found = 0;
let matched = 0;
let audioSeconds = 0;
let cpuMicros = 0;
for (let i = 0; i < Number(values.clips); i++) {
  const clip = generateClip({ seed: 10_000 + i, label: labels[i % 3]!, seconds: 5 });
  const cpu = process.cpuUsage();
  const events = detectOnsets(clip.samples, clip.sampleRate);
  const used = process.cpuUsage(cpu);
  cpuMicros += used.user + used.system;
  audioSeconds += clip.samples.length / clip.sampleRate;
  truth += clip.events.length;
  found += events.length;
  const free = [...clip.events];
  for (const e of events) {
    const j = free.findIndex((t) => Math.abs(t.onset - e.onset) < 0.03);
    if (j >= 0) {
      matched++;
      free.splice(j, 1);
    }
  }
}
let quietFalse = 0;
for (let i = 0; i < 100; i++) {
  const clip = generateClip({ seed: 20_000 + i, label: 'none', seconds: 5 });
  quietFalse += detectOnsets(clip.samples, clip.sampleRate).length;
}

// The endpoints, over HTTP.
const work = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-audio-'));
const ws = await openWorkstation({
  workspaceDir: path.join(work, 'ws'),
  version: 'bench',
  logger: silentLogger,
});
const server = createApp(ws, { port: 0, logger: silentLogger }).listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const uploadMs: number[] = [];
const infoMs: number[] = [];
try {
  for (let i = 0; i < Number(values.uploads); i++) {
    const label = labels[i % 3]!;
    const wav = clipWav(generateClip({ seed: 30_000 + i, label, seconds: 5 }));
    const form = new FormData();
    form.append('class_label', label);
    form.append('file', new Blob([wav], { type: 'audio/wav' }), `clip-${i}.wav`);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/dataset/upload`, { method: 'POST', body: form });
    await res.json();
    uploadMs.push(performance.now() - t0);
    if (!res.ok) throw new Error(`upload ${i}: HTTP ${res.status}`);
  }
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await (await fetch(`${base}/api/dataset/info`)).json();
    infoMs.push(performance.now() - t0);
  }
} finally {
  server.close();
  await ws.close();
  await rm(work, { recursive: true, force: true });
}

const result = {
  date: new Date().toISOString(),
  onsets: {
    clips: Number(values.clips),
    clip_seconds: 5,
    true_events: truth,
    detected: found,
    recall: Number((matched / truth).toFixed(4)),
    precision: Number((matched / Math.max(1, found)).toFixed(4)),
    false_events_in_100_background_clips: quietFalse,
    audio_seconds_per_cpu_second: Number((audioSeconds / (cpuMicros / 1e6)).toFixed(1)),
  },
  upload_5s_wav_ms: {
    p50: ms(pct(uploadMs, 0.5)),
    p90: ms(pct(uploadMs, 0.9)),
    n: uploadMs.length,
  },
  info_ms: { p50: ms(pct(infoMs, 0.5)), files: uploadMs.length },
};
await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
await writeFile(
  path.join(root, 'bench', 'results', 'audio-dataset.json'),
  `${JSON.stringify(result, null, 2)}\n`,
);
console.log(JSON.stringify(result));
