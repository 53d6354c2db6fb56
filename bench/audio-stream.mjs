#!/usr/bin/env node
// audio-stream benchmark (a hook of scripts/bench.mjs): the audio portal's live stream as a
// microphone client sees it. A generated detector recording (gold, iron, other events) is played
// to the server over Socket.IO in real time, in chunks as a browser's AudioWorklet batches them.
//
//   latency   from the moment an event's onset was "captured" (the send time of the chunk that
//             holds it, less the audio after the onset in that chunk) to its classification_result
//             arriving: p50 / p95 / max over the events (goal ≤ 150 ms; the reference buffers 2 s)
//   cpu       the server process's CPU time while streams play, less its idle time over the same
//             span, per stream and per second of audio (goal < 5 % of one core), with 1 and 4
//             streams at once
//
// The server (bench/audio-stream-server.ts, its own process) uses the workspace's trained models;
// a fresh workspace gets the three families trained through the API first (--fixture: the test
// fixture classifier instead, to measure the stream machinery alone); the output says which.
//
//   node bench/audio-stream.mjs [--rate 44100] [--chunk 2048] [--events 12] [--streams 4]
//     [--workspace <dir with trained models>] [--fixture] [--out <file>]
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io } from 'socket.io-client';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '44100' },
    chunk: { type: 'string', default: '2048' },
    events: { type: 'string', default: '12' },
    streams: { type: 'string', default: '4' },
    workspace: { type: 'string' },
    fixture: { type: 'boolean', default: false },
    out: { type: 'string', default: path.join(root, 'bench', 'results', 'audio-stream.json') },
  },
});
const chunk = Number(values.chunk);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

const tmp = await mkdtemp(path.join(os.tmpdir(), 'assay-bench-stream-'));
const child = spawn(
  process.execPath,
  [
    '--import',
    'tsx',
    path.join(root, 'bench', 'audio-stream-server.ts'),
    '--workspace',
    values.workspace ?? path.join(tmp, 'ws'),
    '--out',
    tmp,
    '--rate',
    values.rate,
    '--events',
    values.events,
    ...(values.fixture ? ['--fixture'] : []),
  ],
  { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] },
);
const lines = createInterface({ input: child.stdout });
const replies = [];
let wake = null;
lines.on('line', (l) => {
  if (!l.startsWith('{')) return;
  replies.push(JSON.parse(l));
  wake?.();
});
const reply = async () => {
  while (replies.length === 0) await new Promise((r) => (wake = r));
  return replies.shift();
};
const cpuSeconds = async () => {
  child.stdin.write('cpu\n');
  const { cpu } = await reply();
  return (cpu.user + cpu.system) / 1e6;
};

try {
  const server = await reply();
  const samples = new Float32Array((await readFile(server.recording)).buffer.slice(0));
  const rate = server.sampleRate;
  const seconds = samples.length / rate;

  /** One client playing the recording in real time; resolves with per-event latencies. */
  async function play() {
    const s = io(server.url, { forceNew: true, reconnection: false, transports: ['websocket'] });
    await new Promise((resolve, reject) => {
      s.once('connect', resolve);
      s.once('connect_error', reject);
    });
    const started = new Promise((r) => s.once('stream_started', r));
    s.emit('start_stream');
    await started;
    const results = [];
    s.on('classification_result', (r) => results.push({ r, at: performance.now() }));
    const sentAt = [];
    const t0 = performance.now();
    for (let i = 0, at = 0; at < samples.length; i++, at += chunk) {
      // Real time: chunk i is complete (and sent) once its last sample has been "recorded".
      const due = t0 + (((i + 1) * chunk) / rate) * 1000;
      await sleep(Math.max(0, due - performance.now()));
      sentAt.push(performance.now());
      s.emit('audio_data', {
        audio: Array.from(samples.subarray(at, at + chunk)),
        sampleRate: rate,
      });
    }
    await sleep(500);
    s.disconnect();
    return results.map(({ r, at }) => {
      const onsetSample = Math.round(r.event.onset * rate);
      const i = Math.floor(onsetSample / chunk);
      const captured = sentAt[i] - (((i + 1) * chunk - onsetSample) / rate) * 1000;
      return {
        label: r.predicted_label,
        onset: r.event.onset,
        ms: at - captured,
        server_ms: r.event.latency_ms,
      };
    });
  }

  const idle0 = await cpuSeconds();
  await sleep(seconds * 1000);
  const idlePerSecond = ((await cpuSeconds()) - idle0) / seconds;

  const one0 = await cpuSeconds();
  const single = await play();
  const oneCpu = (await cpuSeconds()) - one0 - idlePerSecond * (seconds + 0.5);

  const n = Number(values.streams);
  const many0 = await cpuSeconds();
  const many = await Promise.all(Array.from({ length: n }, () => play()));
  const manyCpu = (await cpuSeconds()) - many0 - idlePerSecond * (seconds + 0.5);

  const expected = server.events.map((e) => e.label);
  const correct = (got) =>
    got.length === expected.length && got.every((g, i) => g.label === expected[i]);
  const all = [single, ...many].flat().map((x) => x.ms);
  const result = {
    date: new Date().toISOString(),
    classifier: server.classifier,
    input: {
      sample_rate: rate,
      chunk_samples: chunk,
      chunk_ms: round((chunk / rate) * 1000),
      seconds: round(seconds, 2),
      events: expected.length,
    },
    verdicts_in_order: { single: correct(single), concurrent: many.map(correct) },
    latency_ms: {
      goal: 150,
      p50: round(quantile(all, 0.5)),
      p95: round(quantile(all, 0.95)),
      max: round(Math.max(...all)),
      server_reported_p50: round(
        quantile(
          [single, ...many].flat().map((x) => x.server_ms),
          0.5,
        ),
      ),
      reference_buffering: 2000,
    },
    cpu_percent_of_one_core_per_stream: {
      goal: 5,
      one_stream: round((oneCpu / seconds) * 100, 2),
      [`${n}_streams`]: round((manyCpu / seconds / n) * 100, 2),
      server_idle: round(idlePerSecond * 100, 2),
    },
    events: single,
  };
  await mkdir(path.dirname(values.out), { recursive: true });
  await writeFile(values.out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`classifier: ${server.classifier}`);
  console.log(
    `latency onset → classification_result: p50 ${result.latency_ms.p50} ms, p95 ${result.latency_ms.p95} ms, ` +
      `max ${result.latency_ms.max} ms (goal ≤ 150 ms; ${expected.length} events × ${n + 1} streams, ` +
      `${result.input.chunk_ms} ms chunks at ${rate} Hz; verdicts in order: ${correct(single) && many.every(correct)})`,
  );
  console.log(
    `CPU per live stream: ${result.cpu_percent_of_one_core_per_stream.one_stream} % of one core alone, ` +
      `${result.cpu_percent_of_one_core_per_stream[`${n}_streams`]} % each with ${n} at once (goal < 5 %)`,
  );
  console.log(`results in ${path.relative(root, values.out)}`);
} finally {
  child.stdin.end();
  await new Promise((r) => child.once('exit', r));
  await rm(tmp, { recursive: true, force: true });
}
