// Requests as a lab script (or a broken one) sends them, on every family: JSON without its
// Content-Type (415), bodies that stall (408), GETs on a fresh workspace (create nothing), and
// regression uploads streamed to a staged file rather than held in memory.
import { readdir, stat } from 'node:fs/promises';
import net from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBody } from '../../src-shared/contract/common.js';
import { listen, openTestApp, rawRequest, type TestApp } from './helpers/test-app.js';

let t: TestApp;
let server: { port: number; close(): Promise<void> };
beforeAll(async () => {
  t = await openTestApp({ bodyIdleMs: 300 });
  server = await listen(t.app);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

const json = (text: string): unknown => JSON.parse(text) as unknown;

/** Sends the head and `partial`, then nothing: resolves with what the server answers. */
function stalled(
  path: string,
  headers: string,
  partial: string,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = text.split('\r\n\r\n');
      resolve({ status: Number(head.split(' ')[1]), body: body ? json(body) : undefined });
    });
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${headers}\r\n${partial}`,
    );
  });
}

const tmpFiles = async (): Promise<string[]> =>
  (await readdir(t.ws.tmpDir).catch(() => [])).filter((n) => !n.startsWith('.'));

describe('JSON without Content-Type', () => {
  it('is a clear 415 on every family, in its envelope', async () => {
    const send = (path: string, body: string) =>
      rawRequest(server.port, { method: 'POST', path, body: [Buffer.from(body)] });
    const platform = await send('/api/projects', '{"name":"x"}');
    expect(platform.status).toBe(415);
    const err = ErrorBody.parse(json(platform.text));
    expect(err.error.code).toBe('unsupported_media_type');
    expect(err.error.message).toMatch(/Content-Type: application\/json \(got no Content-Type\)/);

    const train = await send('/train', '{"epochs":2}');
    expect(train.status).toBe(415);
    expect(json(train.text)).toEqual({
      status: 'error',
      message:
        'Training failed: send the request body as JSON with the header Content-Type: application/json (got no Content-Type)',
    });
    const predict = await send('/predict', '{"inputs":[1]}');
    expect(predict.status).toBe(415);
    expect(json(predict.text)).toMatchObject({ status: 'error', message: /^Prediction failed: / });
    // Form-encoded is not JSON either (what `curl -d` sends by default).
    const form = await request(t.app).post('/train').type('form').send('epochs=2');
    expect(form.status).toBe(415);
    expect(
      await request(t.app)
        .get('/api/projects')
        .then((r) => r.body.data),
    ).toEqual([]);
  });
});

describe('stalled request bodies', () => {
  it('are answered 408 in the family envelope, and leave nothing behind', async () => {
    const platform = await stalled(
      '/api/projects',
      'Content-Type: application/json\r\nContent-Length: 100\r\n',
      '{"name":',
    );
    expect(platform.status).toBe(408);
    expect(ErrorBody.parse(platform.body).error.code).toBe('request_timeout');

    const train = await stalled(
      '/train',
      'Content-Type: application/json\r\nContent-Length: 100\r\n',
      '{"epochs":',
    );
    expect(train).toEqual({
      status: 408,
      body: {
        status: 'error',
        message: 'Training failed: the request body stopped arriving; send it whole',
      },
    });

    // A multipart upload cut mid-file: its staged part is deleted.
    const boundary = 'xyzzy';
    const upload = await stalled(
      '/upload',
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na,b,y\n1,2,3\n`,
    );
    expect(upload.status).toBe(408);
    expect(upload.body).toMatchObject({
      status: 'error',
      message: /^Failed to save pickle file: /,
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(await tmpFiles()).toEqual([]);

    // The dataset import upload too.
    const p = (await request(t.app).post('/api/projects').send({ name: 'p' })).body.data
      .id as string;
    const importUpload = await stalled(
      `/api/datasets/${p}/import/upload`,
      `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 100000\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\n\r\nxx`,
    );
    expect(importUpload.status).toBe(408);
    expect(ErrorBody.parse(importUpload.body).error.code).toBe('request_timeout');
    await request(t.app).delete(`/api/projects/${p}`);
  });
});

describe('a GET never creates data', () => {
  it('20 concurrent state reads on a fresh workspace create no project', async () => {
    const fresh = await openTestApp();
    try {
      const replies = await Promise.all(
        Array.from({ length: 20 }, () => request(fresh.app).get('/api/regression/state')),
      );
      for (const r of replies) {
        expect(r.status).toBe(200);
        expect(r.body.data).toEqual({
          project_id: null,
          dataset: null,
          model: null,
          training: null,
        });
      }
      expect((await request(fresh.app).get('/outputs/model.pkl')).status).toBe(404);
      const reset = await request(fresh.app).post('/reset');
      expect(reset.body).toEqual({ status: 'success', removed: { uploads: [], outputs: [] } });
      expect((await request(fresh.app).get('/api/projects')).body.data).toEqual([]);
    } finally {
      await fresh.close();
    }
  });
});

describe('regression upload', () => {
  it('streams the file to a staged file while it arrives, then hands it to the service', async () => {
    const boundary = 'b0undary';
    const rows = ['a,b,y', ...Array.from({ length: 400 }, (_, i) => `${i % 7},${i % 5},${i}`)];
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="grid.csv"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    );
    const csv = Buffer.from(`${rows.join('\n')}\n`);
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const half = Math.floor(csv.length / 2);
    const socket = net.connect(server.port, '127.0.0.1');
    const reply = new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    socket.write(
      `POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n` +
        `Content-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Content-Length: ${head.length + csv.length + tail.length}\r\n\r\n`,
    );
    socket.write(Buffer.concat([head, csv.subarray(0, half)]));
    // Half the file is on disk under tmp/ before the rest is sent.
    let staged: string | undefined;
    while (staged === undefined) {
      await new Promise((r) => setTimeout(r, 20));
      for (const name of await tmpFiles()) {
        if ((await stat(`${t.ws.tmpDir}/${name}`)).size >= half) staged = name;
      }
    }
    socket.write(Buffer.concat([csv.subarray(half), tail]));
    const text = await reply;
    expect(text.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
    expect(json(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({
      status: 'success',
      filename: 'grid.csv',
      num_points: 400,
    });
    // The service took the staged file over and removed it.
    expect(await tmpFiles()).not.toContain(staged);
  });
});
