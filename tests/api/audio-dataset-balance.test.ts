// POST /api/dataset/balance over HTTP on a real workspace: undersampling sets originals aside
// (never deletes them) and deletes augmented copies first; restore brings the originals back;
// oversampling augments the smaller classes up to the largest, each copy linked to its root.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AudioBalanceResponse, AudioDatasetInfo } from '../../src-shared/contract/index.js';
import { clipWav, generateClip } from '../../src-main/core/audio-portal/generate.js';
import { openTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
const upload = (seed: number, label: 'gold' | 'iron' | 'other', name: string) =>
  request(t.app)
    .post('/api/dataset/upload')
    .field('class_label', label)
    .attach('file', clipWav(generateClip({ seed, label, seconds: 1, events: 1 })), name);
const balance = async (body: object) => {
  const res = await request(t.app).post('/api/dataset/balance').send(body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return AudioBalanceResponse.parse(res.body);
};
const info = async () =>
  AudioDatasetInfo.parse((await request(t.app).get('/api/dataset/info')).body);
const projectId = (): string => t.ws.audioPortal.projectId() as string;

interface Row {
  id: number;
  filename: string;
  class_name: string;
  blob_path: string;
  source_item_id: number | null;
  excluded: number;
}
function rows(): Row[] {
  const conn = new Database(path.join(t.workspaceDir, 'assay.db'), { readonly: true });
  try {
    return conn
      .prepare(
        'SELECT id, filename, class_name, blob_path, source_item_id, excluded FROM dataset_items ORDER BY filename',
      )
      .all() as Row[];
  } finally {
    conn.close();
  }
}

beforeAll(async () => {
  t = await openTestApp();
  for (let i = 0; i < 4; i++) expect((await upload(50 + i, 'gold', `g${i}.wav`)).status).toBe(200);
  for (let i = 0; i < 2; i++) expect((await upload(60 + i, 'iron', `i${i}.wav`)).status).toBe(200);
  expect((await upload(70, 'other', 'o0.wav')).status).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe('audio dataset balance', () => {
  it('undersample sets originals beyond the smallest class aside, keeping them', async () => {
    const res = await balance({ method: 'undersample', seed: 3 });
    expect(res).toMatchObject({
      success: true,
      method: 'undersample',
      original_distribution: { gold: 4, iron: 2, other: 1 },
      new_distribution: { gold: 1, iron: 1, other: 1 },
      removed_copies: 0,
      excluded_files: 4,
      created_files: 0,
    });
    const all = rows();
    expect(all).toHaveLength(7);
    expect(all.filter((r) => r.excluded === 1)).toHaveLength(4);
    for (const r of all) {
      expect(existsSync(path.join(t.workspaceDir, 'projects', projectId(), r.blob_path))).toBe(
        true,
      );
    }
    expect(await info()).toMatchObject({ total_files: 3 });
    // A split made now leaves the excluded originals out.
    const split = await request(t.app)
      .post(`/api/splits/${projectId()}`)
      .send({ name: 'after-undersample', ratios: { train: 0.7, val: 0.15, test: 0.15 }, seed: 1 });
    expect(split.status, JSON.stringify(split.body)).toBe(200);
    const detail = await request(t.app).get(`/api/splits/${projectId()}/0`);
    expect(detail.body.data.stats.none).toBe(4);
  });

  it('the same seed excludes the same originals', async () => {
    const before = rows()
      .filter((r) => r.excluded === 1)
      .map((r) => r.filename);
    await balance({ method: 'restore' });
    await balance({ method: 'undersample', seed: 3 });
    expect(
      rows()
        .filter((r) => r.excluded === 1)
        .map((r) => r.filename),
    ).toEqual(before);
  });

  it('restore includes every excluded original again', async () => {
    const res = await balance({ method: 'restore' });
    expect(res).toMatchObject({
      original_distribution: { gold: 1, iron: 1, other: 1 },
      new_distribution: { gold: 4, iron: 2, other: 1 },
      restored_files: 4,
    });
    expect(rows().every((r) => r.excluded === 0)).toBe(true);
  });

  it('oversample augments the smaller classes up to the largest, copies linked to their roots', async () => {
    const res = await balance({ method: 'oversample' });
    expect(res).toMatchObject({
      method: 'oversample',
      original_distribution: { gold: 4, iron: 2, other: 1 },
      new_distribution: { gold: 4, iron: 4, other: 4 },
      created_files: 5,
    });
    const all = rows();
    const copies = all.filter((r) => r.source_item_id !== null);
    expect(copies).toHaveLength(5);
    for (const c of copies) {
      const root = all.find((r) => r.id === c.source_item_id)!;
      expect(root.source_item_id).toBeNull();
      expect(root.class_name).toBe(c.class_name);
    }
    expect(copies.filter((c) => c.class_name === 'other').map((c) => c.source_item_id)).toEqual(
      Array(3).fill(all.find((r) => r.filename === 'other/o0.wav')!.id),
    );
    // Balanced already: nothing more to make.
    expect((await balance({ method: 'oversample' })).created_files).toBe(0);
  });

  it('undersample deletes augmented copies first (their files too), then sets originals aside', async () => {
    expect((await upload(62, 'iron', 'i2.wav')).status).toBe(200);
    expect((await upload(54, 'gold', 'g4.wav')).status).toBe(200);
    const before = rows();
    const ironCopies = before.filter((r) => r.class_name === 'iron' && r.source_item_id !== null);
    expect(ironCopies).toHaveLength(2);
    const res = await balance({ method: 'undersample' });
    expect(res).toMatchObject({
      original_distribution: { gold: 5, iron: 5, other: 4 },
      new_distribution: { gold: 4, iron: 4, other: 4 },
      removed_copies: 1,
      excluded_files: 1,
    });
    const after = rows();
    const gone = ironCopies.filter((c) => !after.some((r) => r.id === c.id));
    expect(gone).toHaveLength(1);
    expect(existsSync(path.join(t.workspaceDir, 'projects', projectId(), gone[0]!.blob_path))).toBe(
      false,
    );
    // The gold class had no copies: one original is set aside, none deleted.
    const gold = after.filter((r) => r.class_name === 'gold');
    expect(gold).toHaveLength(5);
    expect(gold.filter((r) => r.excluded === 1)).toHaveLength(1);
  });
});
