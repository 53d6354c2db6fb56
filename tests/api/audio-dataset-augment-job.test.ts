// Augmentation as a job of the platform: cancelled while it runs, the request answers in the
// portal's envelope and nothing is imported or left in tmp; a source whose file is gone is a
// clear 404 before any job starts, and the export says so too.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioDatasetInfo, type Job } from '../../src-shared/contract/index.js';
import { clipWav, generateClip } from '../../src-main/core/audio-portal/generate.js';
import { openTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
const info = async () =>
  AudioDatasetInfo.parse((await request(t.app).get('/api/dataset/info')).body);
const augmentJobs = async (): Promise<Job[]> =>
  (await request(t.app).get('/api/jobs?kind=audio-augment')).body.data.items as Job[];
const staged = () =>
  readdirSync(path.join(t.workspaceDir, 'tmp')).filter((n) => n.startsWith('augment-'));

beforeAll(async () => {
  // Task jobs hold before they start, so one can be cancelled while it runs.
  t = await openTestApp({ taskHoldMs: 60_000 });
  for (const [seed, name] of [
    [1, 'a.wav'],
    [2, 'b.wav'],
  ] as const) {
    const wav = clipWav(generateClip({ seed, label: 'iron', seconds: 1, events: 1 }));
    const res = await request(t.app)
      .post('/api/dataset/upload')
      .field('class_label', 'iron')
      .attach('file', wav, name);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }
});
afterAll(async () => {
  await t.close();
});

describe('augmentation job', () => {
  it('cancelled while running: 409 in the envelope, nothing imported or left staged', async () => {
    const pending = request(t.app)
      .post('/api/dataset/augment')
      .send({ techniques: { gain: true }, factor: 3 })
      .then((r) => r);
    let job: Job | undefined;
    while (job?.status !== 'running') {
      [job] = await augmentJobs();
      if (job?.status !== 'running') await new Promise((r) => setTimeout(r, 20));
    }
    const cancel = await request(t.app).post(`/api/jobs/${job.id}/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const res = await pending;
    expect(res.status, JSON.stringify(res.body)).toBe(409);
    expect(res.body).toEqual({ success: false, error: expect.stringMatching(/cancelled/) });
    expect((await info()).total_files).toBe(2);
    expect(staged()).toEqual([]);
    expect((await augmentJobs())[0]).toMatchObject({ status: 'cancelled' });
  });

  it('a source whose file is missing from the workspace is a 404, and no job starts', async () => {
    const pid = t.ws.audioPortal.projectId() as string;
    const blobs = path.join(t.workspaceDir, 'projects', pid, 'blobs');
    for (const dir of readdirSync(blobs)) rmSync(path.join(blobs, dir), { recursive: true });
    const res = await request(t.app)
      .post('/api/dataset/augment')
      .send({ techniques: { gain: true } });
    expect(res.status, JSON.stringify(res.body)).toBe(404);
    expect(res.body).toEqual({
      success: false,
      error: expect.stringMatching(/Audio file not found: iron\/a\.wav/),
    });
    expect(await augmentJobs()).toHaveLength(1);
    // The export finds it before writing a byte: a clear 404, never a truncated ZIP.
    const exp = await request(t.app).get('/api/dataset/export');
    expect(exp.status).toBe(404);
    expect(exp.body).toEqual({
      success: false,
      error: expect.stringMatching(/Audio file not found: iron\/a\.wav/),
    });
  });
});
