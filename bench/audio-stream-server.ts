// The workstation server for bench/audio-stream.mjs, in a process of its own so its CPU time is
// the server's alone. It serves the workspace's trained audio models when it has them (the
// production wiring, openWorkstation) and otherwise the test fixture classifier
// (tests/fixtures/band-energy-classifier.ts), and says which. It also writes the generated
// recording the client plays (float32 samples + the events' classes and onsets).
//
//   node --import tsx bench/audio-stream-server.ts --workspace <dir> --out <dir> --rate 44100
// Prints one JSON line {url, classifier, recording, events}; "cpu" on stdin answers its CPU time.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
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
  },
});
const workspaceDir = values.workspace!;
const opts = { workspaceDir, version: 'bench', logger: silentLogger };

let ws = await openWorkstation(opts);
let classifier = 'the trained audio models of the workspace';
if (!(await ws.audioLive.streams.trained())) {
  await ws.close();
  ws = await createWorkstation(opts, { runImportWorker, inspectZip, audioModels: fixtureModels() });
  classifier =
    'FIXTURE (tests/fixtures/band-energy-classifier.ts): the workspace has no trained audio ' +
    'models, so the figures measure the stream machinery, not the real models';
}
const api = await serveWorkstation(ws, { port: 0, logger: silentLogger });

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
