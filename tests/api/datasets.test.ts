// Section 2 of training-platform.md: datasets (local import, listing, files, info, clear).
import { importResultOf } from '../../src-shared/contract/jobs.js';
import path from 'node:path';
import sharp from 'sharp';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  DatasetInfo,
  ImportStarted,
  ItemInfo,
  ItemPage,
} from '../../src-shared/contract/datasets.js';
import { type Project } from '../../src-shared/contract/projects.js';
import { DatasetJson } from '../../src-shared/contract/splits.js';
import {
  TEXT_NAMED_WAV,
  bombPngHeader,
  classImages,
  truncatedJpeg,
  wavBuffer,
  writeTree,
} from './helpers/media.js';
import {
  createProject,
  enc,
  expectError,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';

let t: TestApp;
let project: Project;
let images: Record<string, Buffer>;
const Cleared = z.object({ project_id: z.string(), removed_items: z.number().int() });

beforeAll(async () => {
  t = await openTestApp();
  project = await createProject(t.app, 'Datasets');
  images = await classImages({ cat: 5, dog: 3, bird: 2 });
  images['cat/img 01 é.png'] = images['cat/cat-0.png'] as Buffer; // a duplicate, by content
  const folder = await writeTree(path.join(t.root, 'src'), {
    ...images,
    'loose.png': (await classImages({ x: 1 }, 99))['x/x-0.png'] as Buffer,
    'dog/broken.jpg': await truncatedJpeg(),
    'bird/song.wav': TEXT_NAMED_WAV,
    'bird/bomb.png': bombPngHeader(60_000, 60_000),
  });
  const started = okData(
    await request(t.app).post(`/api/datasets/${project.id}/import/local`).send({ path: folder }),
    ImportStarted,
  );
  expect(started.job_id).toMatch(/^job-[0-9a-f]{8}$/);
  const job = await waitForJob(t.app, started.job_id);
  expect(job.status).toBe('completed');
  expect(job.result?.imported).toBe(11);
  expect(job.result?.duplicates).toBe(1);
  const failed = new Map(importResultOf(job)?.errors.map((e) => [e.file, e]));
  expect([...failed.keys()].sort()).toEqual(['bird/bomb.png', 'bird/song.wav', 'dog/broken.jpg']);
  expect(job.result?.failed).toBe(3);
});
afterAll(async () => {
  await t.close();
});

describe('dataset info and listing', () => {
  it('reports stats and classes', async () => {
    const info = okData(await request(t.app).get(`/api/datasets/${project.id}`), DatasetInfo);
    expect(info.project_id).toBe(project.id);
    expect(info.total_items).toBe(11);
    expect(info.classes).toEqual(['bird', 'cat', 'dog']);
    expect(info.class_counts).toEqual([
      { name: 'bird', count: 2 },
      { name: 'cat', count: 5 },
      { name: 'dog', count: 3 },
    ]);
    expect(info.unlabeled).toBe(1);
    expect(info.media_kinds).toEqual({ image: 11 });
    expect(info.active_job_id).toBeNull();
  });

  it('paginates with defaults and totals', async () => {
    const page = okData(await request(t.app).get(`/api/datasets/${project.id}/images`), ItemPage);
    expect(page).toMatchObject({ total: 11, page: 1, page_size: 50, total_pages: 1 });
    expect(page.items.map((i) => i.filename)).toEqual(
      [...page.items.map((i) => i.filename)].sort(),
    );
    const p2 = okData(
      await request(t.app).get(`/api/datasets/${project.id}/images?page=2&page_size=4`),
      ItemPage,
    );
    expect(p2).toMatchObject({ total: 11, page: 2, page_size: 4, total_pages: 3 });
    expect(p2.items).toHaveLength(4);
    expect(p2.items[0]?.filename).toBe(page.items[4]?.filename);
  });

  it('sorts, filters by class and searches', async () => {
    const desc = okData(
      await request(t.app).get(
        `/api/datasets/${project.id}/images?sort_by=filename&sort_order=desc`,
      ),
      ItemPage,
    );
    expect(desc.items[0]?.filename).toBe('loose.png');
    const bySize = okData(
      await request(t.app).get(`/api/datasets/${project.id}/images?sort_by=size&sort_order=asc`),
      ItemPage,
    );
    const sizes = bySize.items.map((i) => i.size);
    expect(sizes).toEqual([...sizes].sort((a, b) => a - b));
    const dogs = okData(
      await request(t.app).get(`/api/datasets/${project.id}/images?filter_class=dog`),
      ItemPage,
    );
    expect(dogs.total).toBe(3);
    expect(dogs.items.every((i) => i.class === 'dog')).toBe(true);
    const found = okData(
      await request(t.app).get(`/api/datasets/${project.id}/images?search=bird-1`),
      ItemPage,
    );
    expect(found.items.map((i) => i.filename)).toEqual(['bird/bird-1.png']);
    const audio = okData(
      await request(t.app).get(`/api/datasets/${project.id}/images?media_kind=audio`),
      ItemPage,
    );
    expect(audio.total).toBe(0);
  });

  it('validates the query', async () => {
    const base = `/api/datasets/${project.id}/images`;
    for (const q of ['page=0', 'page=abc', 'page_size=100000', 'sort_by=colour', 'sort_order=up']) {
      expectError(await request(t.app).get(`${base}?${q}`), 400, 'validation_error');
    }
  });
});

describe('item files, thumbnails and info', () => {
  it('serves the original bytes by encoded or raw-slash filename', async () => {
    for (const url of [
      `/api/datasets/${project.id}/images/${enc('cat/cat-1.png')}`,
      `/api/datasets/${project.id}/images/cat/cat-1.png`,
    ]) {
      const res = await request(t.app).get(url).buffer(true);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.headers['cache-control']).toBeDefined();
      expect(Buffer.compare(res.body as Buffer, images['cat/cat-1.png'] as Buffer)).toBe(0);
      const etag = res.headers['etag'];
      expect(etag).toBeDefined();
      const again = await request(t.app).get(url).set('If-None-Match', String(etag));
      expect(again.status).toBe(304);
    }
  });

  it('serves a root-level file and a thumbnail that decodes', async () => {
    const loose = await request(t.app).get(`/api/datasets/${project.id}/images/loose.png`);
    expect(loose.status).toBe(200);
    const thumb = await request(t.app)
      .get(`/api/datasets/${project.id}/thumbnails/${enc('dog/dog-2.png')}`)
      .buffer(true);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toMatch(/^image\//);
    const meta = await sharp(thumb.body as Buffer).metadata();
    expect(meta.width).toBeGreaterThan(0);
  });

  it('returns item info by encoded and raw-slash filename', async () => {
    for (const name of ['cat/cat-2.png']) {
      for (const url of [
        `/api/datasets/${project.id}/images/${enc(name)}/info`,
        `/api/datasets/${project.id}/images/${name}/info`,
      ]) {
        const info = okData(await request(t.app).get(url), ItemInfo);
        expect(info).toMatchObject({ filename: name, class: 'cat', media_kind: 'image' });
        expect(info.width).toBe(32);
        expect(info.height).toBe(24);
        expect(info.waveform).toBeNull();
        expect(info.hash).toMatch(/^[0-9a-f]{64}$/);
      }
    }
  });

  it('answers 404 for unknown items and never reads outside the workspace', async () => {
    const base = `/api/datasets/${project.id}`;
    for (const name of [
      'cat/none.png',
      '..%2F..%2F..%2Fetc%2Fpasswd',
      '..%2Fassay.db',
      '%2Fetc%2Fpasswd',
      'cat%2F..%2F..%2Fassay.db',
    ]) {
      expectError(await request(t.app).get(`${base}/images/${name}`), 404, 'not_found');
      expectError(await request(t.app).get(`${base}/thumbnails/${name}`), 404, 'not_found');
      expectError(await request(t.app).get(`${base}/images/${name}/info`), 404, 'not_found');
    }
    // Literal ../ segments: the URL resolver never gets out of the route either.
    const raw = await request(t.app).get(`${base}/images/../../../../etc/passwd`);
    expect([400, 404]).toContain(raw.status);
    expect(String(raw.text)).not.toContain('root:');
    expectError(await request(t.app).get(`${base}/images/%E0%A4%A`), 400, 'bad_request');
  });

  it('answers 404 / 400 for unknown or malformed project ids', async () => {
    expectError(await request(t.app).get('/api/datasets/proj-00000000'), 404, 'not_found');
    expectError(await request(t.app).get('/api/datasets/proj-00000000/images'), 404, 'not_found');
    expectError(
      await request(t.app).get('/api/datasets/proj-00000000/images/a.png'),
      404,
      'not_found',
    );
    expectError(
      await request(t.app).get('/api/datasets/..%2F..%2Fetc/images/passwd'),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app).get('/api/datasets/..%2Fworkspace/thumbnails/a.png'),
      400,
      'validation_error',
    );
  });
});

describe('dataset.json, local import errors and clear', () => {
  it('exports dataset.json', async () => {
    const doc = okData(
      await request(t.app).get(`/api/datasets/${project.id}/dataset.json`),
      DatasetJson,
    );
    expect(doc.version).toBe(1);
    expect(doc.project.id).toBe(project.id);
    expect(doc.classes).toEqual(['bird', 'cat', 'dog']);
    expect(doc.images).toHaveLength(11);
  });

  it('refuses a folder that does not exist, and bad bodies', async () => {
    const url = `/api/datasets/${project.id}/import/local`;
    expectError(
      await request(t.app)
        .post(url)
        .send({ path: path.join(t.root, 'no-such-folder') }),
      400,
      'bad_request',
    );
    expectError(await request(t.app).post(url).send({ path: '' }), 400, 'validation_error');
    expectError(await request(t.app).post(url).send({}), 400, 'validation_error');
    expectError(
      await request(t.app).post('/api/datasets/proj-00000000/import/local').send({ path: t.root }),
      404,
      'not_found',
    );
  });

  it('imports audio with duration and a waveform', async () => {
    const audioProject = await createProject(t.app, 'Audio', 'audio-classification');
    const folder = await writeTree(path.join(t.root, 'audio'), {
      'gold/tone.wav': wavBuffer({ seconds: 0.5, freq: 440 }),
      'iron/tone.wav': wavBuffer({ seconds: 0.25, freq: 880 }),
    });
    const started = okData(
      await request(t.app)
        .post(`/api/datasets/${audioProject.id}/import/local`)
        .send({ path: folder }),
      ImportStarted,
    );
    const job = await waitForJob(t.app, started.job_id);
    expect(job.result).toMatchObject({ imported: 2, failed: 0 });
    const info = okData(
      await request(t.app).get(
        `/api/datasets/${audioProject.id}/images/${enc('gold/tone.wav')}/info`,
      ),
      ItemInfo,
    );
    expect(info.media_kind).toBe('audio');
    expect(info.duration).toBeCloseTo(0.5, 2);
    expect(info.sample_rate).toBe(8000);
    expect(info.waveform?.length).toBeGreaterThan(0);
    const thumb = await request(t.app)
      .get(`/api/datasets/${audioProject.id}/thumbnails/${enc('gold/tone.wav')}`)
      .buffer(true);
    expect(thumb.status).toBe(200);
    expect(thumb.headers['content-type']).toMatch(/^image\//);
    const file = await request(t.app)
      .get(`/api/datasets/${audioProject.id}/images/${enc('iron/tone.wav')}`)
      .buffer(true);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toMatch(/^audio\//);
  });

  it('clears the dataset', async () => {
    const p = await createProject(t.app, 'To clear');
    const folder = await writeTree(path.join(t.root, 'clear'), await classImages({ a: 2 }, 500));
    const started = okData(
      await request(t.app).post(`/api/datasets/${p.id}/import/local`).send({ path: folder }),
      ImportStarted,
    );
    await waitForJob(t.app, started.job_id);
    const cleared = okData(await request(t.app).delete(`/api/datasets/${p.id}`), Cleared);
    expect(cleared).toEqual({ project_id: p.id, removed_items: 2 });
    const info = okData(await request(t.app).get(`/api/datasets/${p.id}`), DatasetInfo);
    expect(info.total_items).toBe(0);
    expectError(
      await request(t.app).get(`/api/datasets/${p.id}/images/${enc('a/a-0.png')}`),
      404,
      'not_found',
    );
    expectError(await request(t.app).delete('/api/datasets/proj-00000000'), 404, 'not_found');
  });
});
