// The workstation server for bench/audio-stream.mjs, in a process of its own so its CPU time is
// the server's alone. It serves the workspace's trained audio models (the production wiring,
// openWorkstation); a workspace without them gets them trained here through the API first, or
// with --fixture the test fixture classifier (tests/fixtures/band-energy-classifier.ts) instead;
// it says which. It also writes the generated
// recording the client plays (float32 samples + the events' classes and onsets).
//
//   node --import tsx bench/audio-stream-server.ts --workspace <dir> --out <dir> --rate 44100
// Prints one JSON line {url, classifier, recording, events}; "cpu" on stdin answers its CPU time.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { clipWav, generateClip } from '../src-main/core/audio-portal/generate.js';
import { runImportWorker } from '../src-main/core/jobs/import-runner.js';
import { createWorkstation } from '../src-main/core/services/create-workstation.js';
import { silentLogger } from '../src-main/core/services/logger.js';
import { openWorkstation } from '../src-main/core/workstation.js';
import { inspectZip } from '../src-main/core/workspace/import/zip-inspect.js';
import { serveWorkstation } from '../src-main/server.js';
import { fixtureModels } from '../tests/fixtures/band-energy-classifier.js';
import { detectorRecording } from '../tests/fixtures/detector-recording.js';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string' },
    out: { type: 'string' },
    rate: { type: 'string', default: '44100' },
    events: { type: 'string', default: '12' },
    fixture: { type: 'boolean', default: false },
  },
});
const workspaceDir = values.workspace!;
const opts = { workspaceDir, version: 'bench', logger: silentLogger };

/** Generated clips per class, and the training, for a workspace that has no trained models. */
const TRAIN_CLIPS = 20;
const TRAIN_CONFIG = { epochs: 12, batch_size: 16, learning_rate: 0.005 };

/** Uploads generated detector clips and trains the three families through the API. */
async function trainThroughApi(url: string): Promise<void> {
  for (const [i, label] of (['gold', 'iron', 'other'] as const).entries()) {
    for (let k = 0; k < TRAIN_CLIPS; k++) {
      const form = new FormData();
      form.append('class_label', label);
      const clip = generateClip({ seed: 9000 + 100 * i + k, label, seconds: 2, events: 2 });
      form.append('file', new Blob([clipWav(clip)]), `${label}-${k}.wav`);
      const res = await fetch(`${url}/api/dataset/upload`, { method: 'POST', body: form });
      if (res.status !== 200) throw new Error(`upload: ${res.status} ${await res.text()}`);
    }
  }
  const res = await fetch(`${url}/api/training/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(TRAIN_CONFIG),
  });
  if (res.status !== 200) throw new Error(`training: ${res.status} ${await res.text()}`);
  for (;;) {
    const st = (await (await fetch(`${url}/api/training/status`)).json()) as { status: string };
    if (st.status === 'completed') return;
    if (st.status !== 'training') throw new Error(`training ended ${st.status}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let ws = await openWorkstation(opts);
let classifier = 'the trained audio models of the workspace';
let api = await serveWorkstation(ws, { port: 0, logger: silentLogger });
if (!(await ws.audioLive.streams.trained())) {
  if (values.fixture) {
    await api.close();
    await ws.close();
    ws = await createWorkstation(opts, {
      runImportWorker,
      inspectZip,
      audioModels: fixtureModels(),
    });
    api = await serveWorkstation(ws, { port: 0, logger: silentLogger });
    classifier =
      'FIXTURE (tests/fixtures/band-energy-classifier.ts, --fixture): the figures measure the ' +
      'stream machinery, not the real models';
  } else {
    await trainThroughApi(api.url);
    classifier = `the three families trained here through the API (${TRAIN_CLIPS} generated clips per class, ${TRAIN_CONFIG.epochs} epochs)`;
  }
}

const order = ['gold', 'iron', 'other'] as const;
const classes = Array.from({ length: Number(values.events) }, (_, i) => order[i % 3]!);
const rec = detectorRecording(classes, { seed: 77, seconds: 1.6, rate: Number(values.rate) });
const recording = path.join(values.out!, 'recording.f32');
await writeFile(
  recording,
  Buffer.from(rec.samples.buffer, rec.samples.byteOffset, rec.samples.byteLength),
);
console.log(
  JSON.stringify({
    url: api.url,
    classifier,
    recording,
    sampleRate: rec.sampleRate,
    events: rec.events,
  }),
);

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line === 'cpu') console.log(JSON.stringify({ cpu: process.cpuUsage() }));
});
lines.on('close', () => {
  void api
    .close()
    .then(() => ws.close())
    .then(() => process.exit(0));
});
