// POST /api/datasets/:project_id/import/upload: multipart files, folders with relative names, ZIPs.
import { importResultOf } from '../../src-shared/contract/jobs.js';
import { readdir } from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasetInfo, ImportStarted, ItemPage } from '../../src-shared/contract/datasets.js';
import {
  TEXT_NAMED_WAV,
  bombPngHeader,
  classImages,
  solidImage,
  truncatedJpeg,
  wavBuffer,
  zipOf,
} from './helpers/media.js';
import {
  createProject,
  expectError,
  listen,
  okData,
  openTestApp,
  rawRequest,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';

const UPLOAD_LIMIT = 256 * 1024;
let t: TestApp;

beforeAll(async () => {
  t = await openTestApp({
    limits: { maxUploadBytes: UPLOAD_LIMIT, maxZipEntries: 50, maxZipTotalBytes: 1024 * 1024 },
  });
});
afterAll(async () => {
  await t.close();
});

/**
 * form-data (under supertest) keeps only the basename of `filename`; its `filepath` option
 * sends the whole relative path, as browsers do for folder uploads. supertest's types omit it.
 */
const withPath = (name: string): { filename: string } =>
  ({ filename: name, filepath: name }) as { filename: string };

const uploadUrl = (projectId: string): string => `/api/datasets/${projectId}/import/upload`;
const tmpEntries = async (): Promise<string[]> => readdir(t.ws.tmpDir).catch(() => []);

async function listNames(projectId: string): Promise<string[]> {
  const page = okData(
    await request(t.app).get(`/api/datasets/${projectId}/images?page_size=1000`),
    ItemPage,
  );
  return page.items.map((i) => i.filename);
}

describe('upload import', () => {
  it('imports files whose part names carry relative paths', async () => {
    const p = await createProject(t.app, 'Upload folder');
    const imgs = await classImages({ cat: 2, dog: 1 }, 1000);
    let req = request(t.app).post(uploadUrl(p.id));
    for (const [name, data] of Object.entries(imgs)) {
      req = req.attach('files', data, withPath(name));
    }
    const started = okData(await req, ImportStarted);
    expect(started.status).toBe('pending');
    const job = await waitForJob(t.app, started.job_id);
    expect(job).toMatchObject({ status: 'completed', project_id: p.id });
    expect(job.result).toMatchObject({ imported: 3, failed: 0 });
    expect((await listNames(p.id)).sort()).toEqual(Object.keys(imgs).sort());
    const info = okData(await request(t.app).get(`/api/datasets/${p.id}`), DatasetInfo);
    expect(info.classes).toEqual(['cat', 'dog']);
    expect(await tmpEntries()).toEqual([]);
  });

  it('takes relative paths from a `paths` field, and single unlabeled files', async () => {
    const p = await createProject(t.app, 'Upload paths');
    const a = await solidImage('png', 2001);
    const b = await solidImage('jpeg', 2002);
    const started = okData(
      await request(t.app)
        .post(uploadUrl(p.id))
        .field('paths', JSON.stringify(['red/a.png', 'blue/b.jpg']))
        .attach('files', a, 'a.png')
        .attach('files', b, 'b.jpg'),
      ImportStarted,
    );
    await waitForJob(t.app, started.job_id);
    expect((await listNames(p.id)).sort()).toEqual(['blue/b.jpg', 'red/a.png']);

    const single = okData(
      await request(t.app)
        .post(uploadUrl(p.id))
        .attach('files', await solidImage('png', 2003), 'c.png'),
      ImportStarted,
    );
    await waitForJob(t.app, single.job_id);
    const info = okData(await request(t.app).get(`/api/datasets/${p.id}`), DatasetInfo);
    expect(info.unlabeled).toBe(1);
  });

  it('imports a ZIP, reporting bad files per file and keeping the rest', async () => {
    const p = await createProject(t.app, 'Upload zip');
    const zip = zipOf({
      ...(await classImages({ ok: 2 }, 3000)),
      'ok/broken.jpg': await truncatedJpeg(),
      'ok/fake.wav': TEXT_NAMED_WAV,
      'ok/bomb.png': bombPngHeader(60_000, 60_000),
      'ok/tone.wav': wavBuffer({ seconds: 0.1 }),
    });
    const started = okData(
      await request(t.app).post(uploadUrl(p.id)).attach('files', zip, 'data.zip'),
      ImportStarted,
    );
    const job = await waitForJob(t.app, started.job_id);
    expect(job.status).toBe('completed');
    expect(job.result?.imported).toBe(3);
    expect(
      importResultOf(job)
        ?.errors.map((e) => e.file)
        .sort(),
    ).toEqual(['ok/bomb.png', 'ok/broken.jpg', 'ok/fake.wav']);
    for (const e of importResultOf(job)?.errors ?? []) expect(e.code.length).toBeGreaterThan(0);
    expect((await listNames(p.id)).sort()).toEqual(['ok/ok-0.png', 'ok/ok-1.png', 'ok/tone.wav']);
    expect(await tmpEntries()).toEqual([]);
  });

  it('refuses an upload over the size limit while streaming, leaving nothing in tmp', async () => {
    const p = await createProject(t.app, 'Too big');
    const big = Buffer.alloc(UPLOAD_LIMIT + 64 * 1024, 7);
    // Declared up front (supertest sends Content-Length for buffers)…
    expectError(
      await request(t.app).post(uploadUrl(p.id)).attach('files', big, 'big.png'),
      413,
      'payload_too_large',
    );
    expect(await tmpEntries()).toEqual([]);
    expect(await listNames(p.id)).toEqual([]);
  });

  it('refuses an over-limit chunked upload after files were already written', async () => {
    const p = await createProject(t.app, 'Too big, chunked');
    const res = await postChunkedMultipart(uploadUrl(p.id), [
      { name: 'a/small.png', data: await solidImage('png', 4000) },
      { name: 'a/big.bin', data: Buffer.alloc(UPLOAD_LIMIT, 1) },
    ]);
    expectError(res, 413, 'payload_too_large');
    expect(await tmpEntries()).toEqual([]);
    expect(await listNames(p.id)).toEqual([]);
  });

  it('refuses ZIPs with ../ or absolute entry names before anything is written', async () => {
    const p = await createProject(t.app, 'Evil zips');
    const img = await solidImage('png', 5000);
    for (const evil of ['../evil.png', 'ok/../../evil.png', '/etc/evil.png', 'C:/evil.png']) {
      const zip = zipOf({ 'ok/fine.png': img, [evil]: img });
      const res = await request(t.app).post(uploadUrl(p.id)).attach('files', zip, 'evil.zip');
      expectError(res, 400, 'bad_request');
      expect(await tmpEntries()).toEqual([]);
    }
    expect(await listNames(p.id)).toEqual([]);
  });

  it('refuses a ZIP bomb (over the total-size limit) with 413', async () => {
    const p = await createProject(t.app, 'Bomb');
    const zip = zipOf({ 'zeros/a.bin': new Uint8Array(4 * 1024 * 1024) }, 9);
    expect(zip.length).toBeLessThan(UPLOAD_LIMIT);
    expectError(
      await request(t.app).post(uploadUrl(p.id)).attach('files', zip, 'bomb.zip'),
      413,
      'payload_too_large',
    );
    const many: Record<string, string> = {};
    for (let i = 0; i < 60; i++) many[`n/${i}.txt`] = String(i);
    expectError(
      await request(t.app).post(uploadUrl(p.id)).attach('files', zipOf(many), 'many.zip'),
      413,
      'payload_too_large',
    );
    expect(await tmpEntries()).toEqual([]);
  });

  it('refuses unsafe part names, bad `paths`, empty and non-multipart uploads', async () => {
    const p = await createProject(t.app, 'Bad uploads');
    const img = await solidImage('png', 6000);
    for (const name of ['../x.png', 'a/../../x.png', '/abs/x.png']) {
      expectError(
        await request(t.app).post(uploadUrl(p.id)).attach('files', img, withPath(name)),
        400,
        'bad_request',
      );
    }
    expectError(
      await request(t.app)
        .post(uploadUrl(p.id))
        .field('paths', JSON.stringify(['../up.png']))
        .attach('files', img, 'x.png'),
      400,
      'bad_request',
    );
    expectError(
      await request(t.app)
        .post(uploadUrl(p.id))
        .field('paths', '["a.png", "b.png"]')
        .attach('files', img, 'x.png'),
      400,
      'bad_request',
    );
    expectError(
      await request(t.app)
        .post(uploadUrl(p.id))
        .field('paths', 'not json')
        .attach('files', img, 'x.png'),
      400,
      'bad_request',
    );
    expectError(await request(t.app).post(uploadUrl(p.id)).field('note', 'hi'), 400, 'bad_request');
    expectError(
      await request(t.app).post(uploadUrl(p.id)).send({ files: [] }),
      415,
      'unsupported_media_type',
    );
    expect(await tmpEntries()).toEqual([]);
  });

  it('answers 404 for an unknown project and 400 for a malformed id', async () => {
    const img = await solidImage('png', 7000);
    expectError(
      await request(t.app).post(uploadUrl('proj-00000000')).attach('files', img, 'a.png'),
      404,
      'not_found',
    );
    expectError(
      await request(t.app).post(uploadUrl('..%2F..%2Ftmp')).attach('files', img, 'a.png'),
      400,
      'validation_error',
    );
    expect(await tmpEntries()).toEqual([]);
  });
});

/** A multipart body sent chunked (no Content-Length), so only the streaming check can stop it. */
async function postChunkedMultipart(
  url: string,
  files: readonly { name: string; data: Buffer }[],
): Promise<{ status: number; body: unknown }> {
  const boundary = '----assay-test-boundary';
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.name}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      f.data,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  const body = Buffer.concat(parts);
  const pieces: Buffer[] = [];
  for (let i = 0; i < body.length; i += 16 * 1024) pieces.push(body.subarray(i, i + 16 * 1024));
  const server = await listen(t.app);
  try {
    const res = await rawRequest(server.port, {
      method: 'POST',
      path: url,
      headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body: pieces,
    });
    return { status: res.status, body: JSON.parse(res.text) as unknown };
  } finally {
    await server.close();
  }
}
