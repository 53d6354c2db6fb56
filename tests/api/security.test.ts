// Host allowlist (DNS rebinding), foreign Origin (CSRF), and the error envelope for odd input.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Project } from '../../src-shared/contract/projects.js';
import {
  createProject,
  expectError,
  okData,
  openTestApp,
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

  it('allows loopback origins, no Origin, and GETs from anywhere', async () => {
    for (const origin of ['http://localhost:5173', 'http://127.0.0.1:8000', 'http://[::1]:8000']) {
      okData(
        await request(t.app).post('/api/projects').set('Origin', origin).send({ name: origin }),
        Project,
      );
    }
    const get = await request(t.app).get('/api/projects').set('Origin', 'https://evil.example');
    expect(get.status).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('odd input never gives a 500', () => {
  it('unknown API routes and methods get the 404 envelope', async () => {
    expectError(await request(t.app).get('/api/nothing'), 404, 'not_found');
    expectError(await request(t.app).put('/api/projects'), 404, 'not_found');
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
