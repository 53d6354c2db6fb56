// The audio portal's dataset tools as a lab script drives them over HTTP: augment (each technique
// measured on the copy it wrote), the lineage that keeps a test clip's copies out of training in
// every platform split, and the export ZIP read back. Real files, a real SQLite workspace.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AudioAugmentResponse,
  AudioDatasetExportMetadata,
  AudioDatasetInfo,
} from '../../src-shared/contract/index.js';
import { clipWav, generateClip } from '../../src-main/core/audio-portal/generate.js';
import { encodeWav16 } from '../../src-main/core/audio-portal/wav.js';
import { binary, db, dominantFrequency, readWav16, rmsOf, unzip } from './helpers/audio-measure.js';
import { openTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
const SR = 22050;
/** A steady 1 kHz tone: its pitch, level and timing are easy to measure after a transform. */
const tone = encodeWav16(
  Float32Array.from({ length: SR }, (_, i) => 0.4 * Math.sin((2 * Math.PI * 1000 * i) / SR)),
  SR,
);
const clip = (seed: number, label: 'gold' | 'iron' | 'other') =>
  clipWav(generateClip({ seed, label, seconds: 1.5, events: 1 }));

const upload = (bytes: Buffer, name: string, label: string) =>
  request(t.app)
    .post('/api/dataset/upload')
    .field('class_label', label)
    .attach('file', bytes, name);
const augment = (body: unknown) =>
  request(t.app)
    .post('/api/dataset/augment')
    .send(body as object);
const info = async () =>
  AudioDatasetInfo.parse((await request(t.app).get('/api/dataset/info')).body);
const tmpLeft = () =>
  readdirSync(path.join(t.workspaceDir, 'tmp')).filter((n) => n !== 'audio-exports');

interface Row {
  id: number;
  filename: string;
  class_name: string;
  blob_path: string;
  source_item_id: number | null;
  augmentation: string | null;
  excluded: number;
}
function rows(): Row[] {
  const conn = new Database(path.join(t.workspaceDir, 'assay.db'), { readonly: true });
  try {
    return conn
      .prepare(
        'SELECT id, filename, class_name, blob_path, source_item_id, augmentation, excluded FROM dataset_items ORDER BY filename',
      )
      .all() as Row[];
  } finally {
    conn.close();
  }
}
const projectId = (): string => t.ws.audioPortal.projectId() as string;
const samplesOf = (filename: string) => {
  const row = rows().find((r) => r.filename === filename);
  if (!row) throw new Error(`${filename} is not in the dataset`);
  return readWav16(readFileSync(path.join(t.workspaceDir, 'projects', projectId(), row.blob_path)))
    .samples;
};

async function expectRefused(res: request.Response, status: number, message: RegExp) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body).toEqual({ success: false, error: expect.stringMatching(message) });
}

/** Augments the tone alone-ish (gold) and returns its copy's samples and the response. */
async function augmentTone(techniques: object) {
  const res = await augment({ techniques, target_classes: ['gold'], seed: 5 });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const body = AudioAugmentResponse.parse(res.body);
  const copy = body.details.created_files.find((f) => f.source === 'gold/tone.wav');
  if (!copy) throw new Error('no copy of the tone was made');
  return { body, copy, samples: samplesOf(copy.filename) };
}

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('audio dataset tools: augment, lineage, export', () => {
  it('refuses to augment, balance or export into nothing, and creates no project', async () => {
    await expectRefused(await augment({ techniques: { gain: true } }), 400, /No files to augment/);
    await expectRefused(
      await request(t.app).post('/api/dataset/balance').send({ method: 'oversample' }),
      400,
      /no files to balance/,
    );
    const res = await binary(request(t.app).get('/api/dataset/export'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const entries = await unzip(res.body as Buffer);
    expect([...entries.keys()]).toEqual(['metadata.json']);
    const meta = AudioDatasetExportMetadata.parse(
      JSON.parse(entries.get('metadata.json')!.toString()),
    );
    expect(meta).toMatchObject({ total_files: 0, files: [], classes: {} });
    expect((await request(t.app).get('/api/projects')).body.data).toEqual([]);
  });

  it('stores the originals', async () => {
    expect((await upload(tone, 'tone.wav', 'gold')).status).toBe(200);
    expect((await upload(clip(21, 'gold'), 'g1.wav', 'gold')).status).toBe(200);
    for (const [i, seed] of [31, 32, 33].entries()) {
      expect((await upload(clip(seed, 'iron'), `i${i}.wav`, 'iron')).status).toBe(200);
    }
    expect((await upload(clip(41, 'other'), 'o1.wav', 'other')).status).toBe(200);
    expect((await info()).total_files).toBe(6);
  });

  it('refuses bad requests in the envelope, writing nothing', async () => {
    const before = rows().length;
    const cases: [unknown, RegExp][] = [
      [{ techniques: { warp: true } }, /warp/],
      [{ techniques: { gain: true }, factor: 0 }, /factor/],
      [{ techniques: { gain: true }, factor: 2.5 }, /factor/],
      [{ techniques: { gain: true }, target_classes: ['copper'] }, /Unknown class "copper"/],
      [{ techniques: { gain: true }, target_classes: [] }, /target_classes/],
      [{ techniques: { gain: true }, target_classes: 'some' }, /target_classes/],
      [{ techniques: {} }, /No technique turned on/],
      [{ techniques: { gain: false } }, /No technique turned on/],
      [{ techniques: { gain: { min_db: 5 } } }, /gain\.min_db/],
      [{ techniques: { gain: { min_db: -3, max_db: -6 } } }, /must not exceed max_db/],
      [{ techniques: { gain: { db: -3 } } }, /gain/],
      [{ techniques: { pitch_shift: 'up' } }, /pitch_shift/],
      [{ factor: 2 }, /techniques/],
    ];
    for (const [body, message] of cases) await expectRefused(await augment(body), 400, message);
    await expectRefused(
      await request(t.app)
        .post('/api/dataset/augment')
        .set('Content-Type', 'application/json')
        .send('{"techniques":'),
      400,
      /JSON/i,
    );
    await expectRefused(
      await request(t.app).post('/api/dataset/balance').send({ method: 'shuffle' }),
      400,
      /method/,
    );
    expect(rows()).toHaveLength(before);
    expect(tmpLeft()).toEqual([]);
  });

  it('gain: the copy is quieter by exactly the dB asked, and linked to its source', async () => {
    const { body, copy, samples } = await augmentTone({ gain: { min_db: -6, max_db: -6 } });
    expect(body.details).toMatchObject({
      techniques: ['gain'],
      factor: 1,
      target_classes: ['gold'],
      classes: { gold: { sources: 2, created: 2 } },
      total_created: 2,
      already_present: 0,
    });
    expect(copy.recipe).toMatchObject({ gain: { db: -6 }, derived_from: 'gold/tone.wav' });
    // The copies were made by a job of the project, on the task thread, with its progress.
    const jobs = await request(t.app).get(`/api/jobs?kind=audio-augment&project_id=${projectId()}`);
    expect(jobs.body.data.items, JSON.stringify(jobs.body)).toHaveLength(1);
    expect(jobs.body.data.items[0]).toMatchObject({
      kind: 'audio-augment',
      status: 'completed',
      done: 2,
      total: 2,
      result: { copies: 2 },
    });
    expect(db(rmsOf(samples) / rmsOf(samplesOf('gold/tone.wav')))).toBeCloseTo(-6, 1);
    const all = rows();
    const row = all.find((r) => r.filename === copy.filename)!;
    expect(row.source_item_id).toBe(all.find((r) => r.filename === 'gold/tone.wav')!.id);
    expect(JSON.parse(row.augmentation!)).toEqual(copy.recipe);
    // The same request again makes the same copies of the originals, so none is added twice;
    // the copies, now sources too, get copies of their own.
    const again = AudioAugmentResponse.parse(
      (
        await augment({
          techniques: { gain: { min_db: -6, max_db: -6 } },
          target_classes: ['gold'],
          seed: 5,
        })
      ).body,
    );
    expect(again.details).toMatchObject({ total_created: 2, already_present: 2 });
    expect(again.details.created_files.map((f) => f.recipe.derived_from).sort()).toEqual(
      all.filter((r) => r.source_item_id !== null).map((r) => r.filename),
    );
    expect(rows()).toHaveLength(all.length + 2);
  });

  it('pitch_shift moves the dominant frequency by the semitones asked; the length is kept', async () => {
    const { samples } = await augmentTone({ pitch_shift: { min_semitones: 4, max_semitones: 4 } });
    expect(samples.length).toBe(SR);
    const f = dominantFrequency(samples.subarray(2048, SR - 2048), SR);
    expect(Math.abs(f - 1000 * 2 ** (4 / 12))).toBeLessThan(8);
  });

  it('time_stretch changes the duration by the rate and keeps the pitch', async () => {
    const { samples } = await augmentTone({ time_stretch: { min_rate: 1.25, max_rate: 1.25 } });
    expect(samples.length).toBe(Math.round(SR / 1.25));
    expect(
      Math.abs(dominantFrequency(samples.subarray(2048, samples.length - 2048), SR) - 1000),
    ).toBeLessThan(5);
  });

  it('add_noise adds noise at the SNR asked, relative to the signal', async () => {
    const { samples } = await augmentTone({ add_noise: { min_snr_db: 20, max_snr_db: 20 } });
    const source = samplesOf('gold/tone.wav');
    const noise = samples.map((v, i) => v - source[i]!);
    expect(Math.abs(db(rmsOf(source) / rmsOf(noise)) - 20)).toBeLessThan(0.5);
  });

  it('time_shift moves the clip later, silence before it', async () => {
    const { samples } = await augmentTone({ time_shift: { min_seconds: 0.1, max_seconds: 0.1 } });
    const source = samplesOf('gold/tone.wav');
    const by = Math.round(0.1 * SR);
    expect(rmsOf(samples, 0, by)).toBe(0);
    for (const i of [by, by + 1000, SR - 1]) expect(samples[i]).toBeCloseTo(source[i - by]!, 4);
  });

  it('augmenting copies links the new copies to the root original', async () => {
    const first = AudioAugmentResponse.parse(
      (await augment({ techniques: { gain: true }, factor: 2, target_classes: ['other'], seed: 1 }))
        .body,
    );
    expect(first.details.classes).toEqual({ other: { sources: 1, created: 2 } });
    const second = AudioAugmentResponse.parse(
      (
        await augment({
          techniques: { gain: true, add_noise: true },
          target_classes: ['other'],
          seed: 2,
        })
      ).body,
    );
    expect(second.details.classes).toEqual({ other: { sources: 3, created: 3 } });
    const all = rows();
    const root = all.find((r) => r.filename === 'other/o1.wav')!;
    const copies = all.filter((r) => r.class_name === 'other' && r.id !== root.id);
    expect(copies).toHaveLength(5);
    for (const c of copies) expect(c.source_item_id).toBe(root.id);
    const ofCopies = second.details.created_files.filter(
      (f) => f.recipe.derived_from !== 'other/o1.wav',
    );
    expect(ofCopies).toHaveLength(2);
    for (const f of ofCopies) expect(f.source).toBe('other/o1.wav');
    // Default ranges: the noise drawn is within 25–40 dB, the gain within −20…0 dB.
    for (const f of second.details.created_files) {
      expect(f.recipe.add_noise!.snr_db).toBeGreaterThanOrEqual(25);
      expect(f.recipe.add_noise!.snr_db).toBeLessThanOrEqual(40);
      expect(f.recipe.gain!.db).toBeGreaterThanOrEqual(-20);
      expect(f.recipe.gain!.db).toBeLessThanOrEqual(0);
    }
    expect(tmpLeft()).toEqual([]);
  });

  it('no augmented copy of a test or val item is in the training subset of any platform split', async () => {
    const all = rows();
    const byId = new Map(all.map((r) => [r.id, r]));
    let heldOutWithCopies = 0;
    for (const [i, seed] of [1, 2, 3, 4, 5].entries()) {
      for (const stratify of [true, false]) {
        const res = await request(t.app)
          .post(`/api/splits/${projectId()}`)
          .send({
            name: `leak-${seed}-${stratify}`,
            ratios: { train: 0.5, val: 0.25, test: 0.25 },
            seed,
            stratify,
          });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
      const doc = (await request(t.app).get(`/api/datasets/${projectId()}/dataset.json`)).body
        .data as {
        images: { filename: string; split: string[] }[];
      };
      const subsets = new Map(doc.images.map((im) => [im.filename, im.split]));
      for (const split of [i * 2, i * 2 + 1]) {
        for (const r of all) {
          if (r.source_item_id === null) continue;
          const own = subsets.get(r.filename)![split];
          const source = subsets.get(byId.get(r.source_item_id)!.filename)![split];
          expect(own, `${r.filename} in split ${split}`).toBe(source);
          if (source !== 'train') heldOutWithCopies++;
        }
      }
    }
    // The check is not vacuous: copies of held-out originals were there to leak.
    expect(heldOutWithCopies).toBeGreaterThan(0);
  });

  it('exports a ZIP of <class>/<name> files with labels, events and lineage in metadata.json', async () => {
    const res = await binary(request(t.app).get('/api/dataset/export'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="?audio-dataset-[\dT-]+Z\.zip"?$/,
    );
    const entries = await unzip(res.body as Buffer);
    const meta = AudioDatasetExportMetadata.parse(
      JSON.parse(entries.get('metadata.json')!.toString()),
    );
    const all = rows();
    expect(meta.total_files).toBe(all.length);
    expect(entries.size).toBe(all.length + 1);
    expect(meta.classes).toEqual({
      gold: all.filter((r) => r.class_name === 'gold').length,
      iron: 3,
      other: 6,
    });
    const tone = meta.files.find((f) => f.filename === 'gold/tone.wav')!;
    expect(tone).toMatchObject({ path: 'gold/tone.wav', class_label: 'gold', augmentation: null });
    expect(entries.get('gold/tone.wav')).toEqual(
      readFileSync(
        path.join(
          t.workspaceDir,
          'projects',
          projectId(),
          all.find((r) => r.filename === 'gold/tone.wav')!.blob_path,
        ),
      ),
    );
    for (const f of meta.files) {
      expect(entries.has(f.path)).toBe(true);
      expect(f.path.startsWith(`${f.class_label}/`)).toBe(true);
      const row = all.find((r) => r.filename === f.filename)!;
      if (row.source_item_id === null) expect(f.augmentation).toBeNull();
      else {
        const root = all.find((r) => r.id === row.source_item_id)!;
        expect(f.augmentation?.source).toBe(
          meta.files.find((m) => m.filename === root.filename)!.path,
        );
        expect(f.augmentation?.recipe).toEqual(JSON.parse(row.augmentation!));
      }
    }
    const iron = meta.files.find((f) => f.filename === 'iron/i0.wav')!;
    expect(iron.events.length).toBeGreaterThan(0);
    expect(iron.duration).toBeCloseTo(1.5, 2);
  });
});
