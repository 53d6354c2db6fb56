// Host allowlist (DNS rebinding), foreign Origin (CSRF), and the error envelope for odd input.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Project } from '../../src-shared/contract/projects.js';
import {
  createProject,
  expectError,
  listen,
  okData,
  openTestApp,
  rawRequest,
  type TestApp,
} from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('Host header allowlist', () => {
  it('refuses foreign Host names on every route', async () => {
    for (const host of [
      'evil.com',
      'evil.com:8000',
      'localhost.evil.com',
      '127.0.0.1.nip.io',
      '10.0.0.5:8000',
    ]) {
      expectError(await request(t.app).get('/api/projects').set('Host', host), 403, 'forbidden');
      expectError(await request(t.app).get('/health').set('Host', host), 403, 'forbidden');
      expectError(await request(t.app).get('/').set('Host', host), 403, 'forbidden');
    }
  });

  it('accepts loopback names with any port', async () => {
    for (const host of [
      'localhost',
      'localhost:8000',
      '127.0.0.1:1234',
      '[::1]:8000',
      '[::1]',
      'LOCALHOST:80',
    ]) {
      const res = await request(t.app).get('/api/projects').set('Host', host);
      expect(res.status, host).toBe(200);
    }
  });
});

describe('Origin check on state-changing requests', () => {
  it('refuses POST, PATCH and DELETE from foreign origins, "null" included', async () => {
    const p = await createProject(t.app, 'Target');
    for (const origin of ['https://evil.example', 'null', 'http://localhost.evil.com', 'file://']) {
      expectError(
        await request(t.app).post('/api/projects').set('Origin', origin).send({ name: 'csrf' }),
        403,
        'forbidden',
      );
      expectError(
        await request(t.app)
          .patch(`/api/projects/${p.id}`)
          .set('Origin', origin)
          .send({ name: 'x' }),
        403,
        'forbidden',
      );
      expectError(
        await request(t.app).delete(`/api/projects/${p.id}`).set('Origin', origin),
        403,
        'forbidden',
      );
    }
    // Nothing happened.
    const same = okData(await request(t.app).get(`/api/projects/${p.id}`), Project);
    expect(same.name).toBe('Target');
  });

  it("allows the server's own origin, the desktop app, no Origin, and GETs from anywhere", async () => {
    // The own origin is the port the request came in on: a real socket, not supertest's.
    const server = await listen(t.app);
    try {
      const post = (origin: string | undefined, path = '/api/projects') =>
        rawRequest(server.port, {
          method: 'POST',
          path,
          headers: {
            'Content-Type': 'application/json',
            ...(origin === undefined ? {} : { Origin: origin }),
          },
          body: [Buffer.from(JSON.stringify({ name: `from ${origin ?? 'a script'}` }))],
        });
      const own = [
        `http://127.0.0.1:${server.port}`,
        `http://localhost:${server.port}`,
        `http://[::1]:${server.port}`,
        'assay://app',
        undefined,
      ];
      for (const origin of own) expect((await post(origin)).status, String(origin)).toBe(200);
      // Another port on this machine is another web page (a dev server, a notebook).
      const before = okData(await request(t.app).get('/api/projects'), z.array(Project)).length;
      for (const origin of [
        'http://localhost:5173',
        `http://127.0.0.1:${server.port + 1}`,
        `https://127.0.0.1:${server.port}`,
        'http://localhost',
      ]) {
        const res = await post(origin);
        expectError({ status: res.status, body: JSON.parse(res.text) }, 403, 'forbidden');
        // …on every family, in that family's envelope: /reset wipes nothing.
        const reset = await post(origin, '/reset');
        expect(reset.status).toBe(403);
        expect(JSON.parse(reset.text)).toEqual({
          status: 'error',
          message: `requests from origin ${JSON.stringify(origin)} are not allowed`,
        });
      }
      const after = okData(await request(t.app).get('/api/projects'), z.array(Project)).length;
      expect(after).toBe(before);
    } finally {
      await server.close();
    }
    const get = await request(t.app).get('/api/projects').set('Origin', 'https://evil.example');
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('odd input never gives a 500', () => {
  it('unknown API routes get the 404 envelope, wrong methods 405 with Allow', async () => {
    expectError(await request(t.app).get('/api/nothing'), 404, 'not_found');
    const put = await request(t.app).put('/api/projects');
    expectError(put, 405, 'method_not_allowed');
    expect(put.headers.allow).toBe('GET, POST');
    expectError(
      await request(t.app).get('/api/training/proj-12345678/experiments'),
      404,
      'not_found',
    );
  });

  it('malformed JSON, oversize JSON, bad encodings and bad percent-escapes are 4xx', async () => {
    for (const body of ['{', '{"name":}', 'nul', '"just a string"', '[1,]']) {
      expectError(
        await request(t.app)
          .post('/api/projects')
          .set('Content-Type', 'application/json')
          .send(body),
        400,
        'invalid_json',
      );
    }
    const huge = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
    expectError(
      await request(t.app).post('/api/projects').set('Content-Type', 'application/json').send(huge),
      413,
      'payload_too_large',
    );
    expectError(
      await request(t.app)
        .post('/api/projects')
        .set('Content-Type', 'application/json; charset=klingon')
        .send('{"name":"x"}'),
      415,
      'unsupported_media_type',
    );
    expectError(await request(t.app).get('/api/projects/%E0%A4%A'), 400, 'bad_request');
    expectError(await request(t.app).get('/api/datasets/%'), 400, 'bad_request');
  });

  it('sets protective headers', async () => {
    const res = await request(t.app).get('/api/projects');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});
