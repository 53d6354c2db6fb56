// The audio portal's dataset endpoints as a lab script drives them: generated metal-detector
// recordings (and the same clips re-encoded by sox) uploaded per class, their events counted,
// their waveforms read back; every bad input refused in the family's envelope with nothing stored.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AudioDatasetInfo,
  AudioDatasetUploadResponse,
  AudioWaveformResponse,
} from '../../src-shared/contract/audio-portal.js';
import { createApp } from '../../src-main/api/app.js';
import { clipWav, generateClip } from '../../src-main/core/audio-portal/generate.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation } from '../../src-main/core/workstation.js';
import { openTestApp, waitForJob, type TestApp } from './helpers/test-app.js';

let t: TestApp;
const clips = {
  gold: generateClip({ seed: 11, label: 'gold', events: 2 }),
  iron: generateClip({ seed: 12, label: 'iron', events: 3 }),
  other: generateClip({ seed: 13, label: 'other', events: 1 }),
};
const upload = (bytes: Buffer, name: string, label?: string) => {
  const req = request(t.app).post('/api/dataset/upload');
  if (label !== undefined) void req.field('class_label', label);
  return req.attach('file', bytes, name);
};
const info = async () =>
  AudioDatasetInfo.parse((await request(t.app).get('/api/dataset/info')).body);
const projects = async () => (await request(t.app).get('/api/projects')).body.data;
const tmpLeft = () => readdirSync(path.join(t.workspaceDir, 'tmp'));

/** Every refusal: the family's error body, a 4xx, and nothing of it stored. */
async function expectRefused(
  res: request.Response,
  status: number,
  message: RegExp,
): Promise<void> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body).sort()).toEqual(['error', 'success']);
  expect(res.body.success).toBe(false);
  expect(res.body.error).toMatch(message);
}

beforeAll(async () => {
  t = await openTestApp();
  writeFileSync(path.join(t.root, 'gold.wav'), clipWav(clips.gold));
  for (const ext of ['flac', 'ogg', 'mp3']) {
    execFileSync('sox', [path.join(t.root, 'gold.wav'), path.join(t.root, `gold.${ext}`)]);
  }
});
afterAll(async () => {
  // After a restart `t.ws` is the new workstation; `t.close` closes the first and the folder.
  await t.ws.close();
  await t.close();
});

describe('audio portal dataset', () => {
  it('a fresh workspace answers zeros and creates no project', async () => {
    expect(await info()).toEqual({ total_files: 0, total_events: 0, classes: {} });
    const wf = await request(t.app).get('/api/waveform/gold/a.wav');
    await expectRefused(wf, 404, /not found: gold\/a\.wav/);
    expect(await projects()).toEqual([]);
  });

  it('refuses bad uploads before anything is created', async () => {
    const wav = clipWav(clips.gold);
    await expectRefused(await upload(wav, 'a.wav'), 400, /No class_label given/);
    await expectRefused(await upload(wav, 'a.wav', 'copper'), 400, /Unknown class_label "copper"/);
    const text = Buffer.from('these are field notes, not a recording\n'.repeat(40));
    await expectRefused(
      await upload(text, 'notes.mp3', 'gold'),
      400,
      /not a WAV, MP3, FLAC or OGG/,
    );
    await expectRefused(
      await upload(Buffer.alloc(0), 'empty.wav', 'gold'),
      400,
      /empty\.wav is empty/,
    );
    // The header claims the whole clip; only its first half is there.
    const lying = wav.subarray(0, 44 + (wav.length - 44) / 2);
    await expectRefused(await upload(lying, 'cut.wav', 'gold'), 400, /header says/);
    const noData = Buffer.from(wav.subarray(0, 44));
    noData.writeUInt32LE(0, 40);
    noData.writeUInt32LE(36, 4);
    await expectRefused(await upload(noData, 'zero.wav', 'gold'), 400, /no audio samples/);
    expect(await projects()).toEqual([]);
    expect(await info()).toEqual({ total_files: 0, total_events: 0, classes: {} });
    expect(tmpLeft()).toEqual([]);
  });

  it('stores each class with its events, in one audio-classification project', async () => {
    for (const [label, clip] of Object.entries(clips)) {
      const res = await upload(clipWav(clip), `${label}-1.wav`, label);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const body = AudioDatasetUploadResponse.parse(res.body);
      expect(body).toMatchObject({
        success: true,
        filename: `${label}/${label}-1.wav`,
        class_label: label,
        sample_rate: 22050,
        duration: 3,
      });
      expect(body.events).toHaveLength(clip.events.length);
      body.events.forEach((e, i) => {
        expect(Math.abs(e.onset - clip.events[i]!.onset)).toBeLessThan(0.03);
      });
    }
    const list = await projects();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ task: 'audio-classification', item_count: 3 });
    expect(await info()).toEqual({
      total_files: 3,
      total_events: 6,
      classes: {
        gold: { files: 1, events: 2 },
        iron: { files: 1, events: 3 },
        other: { files: 1, events: 1 },
      },
    });
  });

  it('takes FLAC, OGG and MP3 through the same import, each with its events', async () => {
    for (const ext of ['flac', 'ogg', 'mp3']) {
      const res = await upload(
        readFileSync(path.join(t.root, `gold.${ext}`)),
        `gold.${ext}`,
        'gold',
      );
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.events).toHaveLength(2);
    }
    const now = await info();
    expect(now.classes.gold).toEqual({ files: 4, events: 8 });
    expect(now.total_files).toBe(6);
  });

  it('a name already taken by other content is a conflict, and the dataset is unchanged', async () => {
    const before = await info();
    const other = clipWav(generateClip({ seed: 99, label: 'gold' }));
    await expectRefused(await upload(other, 'gold-1.wav', 'gold'), 409, /gold-1\.wav/);
    expect(await info()).toEqual(before);
    expect(tmpLeft()).toEqual([]);
  });

  it('events are found once and stored, not recomputed per request', async () => {
    const [project] = await projects();
    const file = path.join(t.workspaceDir, 'projects', project.id, 'audio-portal', 'events.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown[]>;
    expect(Object.keys(stored)).toHaveLength(6);
    // A stored answer is what info reports: doctor one entry and it shows.
    const [hash] = Object.keys(stored);
    stored[hash!] = [...stored[hash!]!, { onset: 2.9, offset: 2.95 }];
    writeFileSync(file, JSON.stringify(stored));
    await restart();
    expect((await info()).total_events).toBe(13);
  });

  it("counts events of clips the platform's own import added, found on first use", async () => {
    const [project] = await projects();
    const clip = generateClip({ seed: 21, label: 'iron', events: 2 });
    const started = await request(t.app)
      .post(`/api/datasets/${project.id}/import/upload`)
      .attach('files', clipWav(clip), {
        filename: 'iron/field-7.wav',
        filepath: 'iron/field-7.wav',
      } as { filename: string });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    await waitForJob(t.app, started.body.data.job_id);
    const before = await info();
    expect(before.classes.iron).toEqual({ files: 2, events: 5 });
    const file = path.join(t.workspaceDir, 'projects', project.id, 'audio-portal', 'events.json');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toHaveLength(7);
  });

  it('serves the waveform of a dataset file, and nothing outside the dataset', async () => {
    const res = await request(t.app).get('/api/waveform/iron/iron-1.wav?points=300');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = AudioWaveformResponse.parse(res.body);
    expect(body).toMatchObject({
      filename: 'iron/iron-1.wav',
      class_label: 'iron',
      sample_rate: 22050,
    });
    expect(body.waveform).toHaveLength(300);
    expect(Math.max(...body.waveform.map(Math.abs))).toBeGreaterThan(0.1);
    expect(body.events).toHaveLength(3);
    const enc = encodeURIComponent('iron/iron-1.wav');
    expect((await request(t.app).get(`/api/waveform/${enc}`)).status).toBe(200);

    for (const p of [
      '../assay.db',
      'gold/../../assay.db',
      '%2e%2e%2fassay.db',
      '..%2F..%2Fassay.db',
    ]) {
      await expectRefused(
        await request(t.app).get(`/api/waveform/${p}`),
        403,
        /outside the dataset/,
      );
    }
    await expectRefused(await request(t.app).get('/api/waveform/gold/none.wav'), 404, /not found/);
  });
  it('a stored clip that no longer decodes counts as a file without events', async () => {
    const [project] = await projects();
    const clip = generateClip({ seed: 22, label: 'other', events: 2 });
    const started = await request(t.app)
      .post(`/api/datasets/${project.id}/import/upload`)
      .attach('files', clipWav(clip), {
        filename: 'other/lost.wav',
        filepath: 'other/lost.wav',
      } as { filename: string });
    await waitForJob(t.app, started.body.data.job_id);
    const db = new Database(path.join(t.workspaceDir, 'assay.db'), { readonly: true });
    const row = db
      .prepare('SELECT blob_path FROM dataset_items WHERE project_id = ? AND filename = ?')
      .get(project.id, 'other/lost.wav') as { blob_path: string };
    db.close();
    rmSync(path.join(t.workspaceDir, 'projects', project.id, row.blob_path));
    const res = await request(t.app).get('/api/dataset/info');
    expect(res.status).toBe(200);
    expect(res.body.classes.other).toEqual({ files: 2, events: 1 });
    await expectRefused(await request(t.app).get('/api/waveform/other/lost.wav'), 404, /lost\.wav/);
  });
});

/** Closes the workstation and opens a new one over the same workspace: what survives a restart. */
async function restart(): Promise<void> {
  await t.ws.close();
  const ws = await openWorkstation({
    workspaceDir: t.workspaceDir,
    version: '0.0.0-test',
    logger: silentLogger,
  });
  t = { ...t, ws, app: createApp(ws, { port: 0, logger: silentLogger, heartbeatMs: 50 }) };
}
