// How a family's routes treat requests beyond its operations: the auth policy of a bearer-jwt
// family, WebSocket upgrades to undeclared paths, and odd requests to the regression family.
import net from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { inspection } from '../../src-shared/contract/families/inspection.js';
import { createApp } from '../../src-main/api/app.js';
import { AppError } from '../../src-main/core/errors.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { serveWorkstation } from '../../src-main/server.js';
import { openTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('auth policy', () => {
  it('a bearer-jwt family refuses missing or bad tokens in its envelope; public paths pass', async () => {
    const ping = {
      family: inspection,
      method: 'GET',
      path: '/api/v1/ping',
      summary: 'Ping',
      response: z.object({ pong: z.boolean() }),
    } as const;
    const health = { ...ping, path: '/api/v1/health', summary: 'Health' } as const;
    const module = {
      operations: { inspectionPing: ping, inspectionHealth: health },
      handlers: {
        inspectionPing: async () => ({ pong: true }),
        inspectionHealth: async () => ({ pong: true }),
      },
    };
    const verifyBearer = async (token: string): Promise<void> => {
      if (token !== 'good') throw new AppError('unauthorized', 'Could not validate credentials');
    };
    const secured = createApp(t.ws, {
      port: 0,
      logger: silentLogger,
      modules: [module],
      verifyBearer,
    });
    const missing = await request(secured).get('/api/v1/ping');
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({
      detail: 'Not authenticated: send Authorization: Bearer <token>',
    });
    const bad = await request(secured).get('/api/v1/ping').set('Authorization', 'Bearer nope');
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ detail: 'Could not validate credentials' });
    const good = await request(secured).get('/api/v1/ping').set('Authorization', 'Bearer good');
    expect(good.body).toEqual({ pong: true });
    expect((await request(secured).get('/api/v1/health')).body).toEqual({ pong: true });
    expect((await request(secured).get('/api/v1/nothing')).body).toEqual({
      detail: 'no route GET /api/v1/nothing',
    });
    // Without a verifier the policy still holds: nothing behind it is served.
    const unconfigured = createApp(t.ws, { port: 0, logger: silentLogger, modules: [module] });
    const refused = await request(unconfigured)
      .get('/api/v1/ping')
      .set('Authorization', 'Bearer good');
    expect(refused.status).toBe(401);
    const doc = (await request(secured).get('/openapi.json')).body as {
      paths: Record<string, { get: { security?: unknown } }>;
    };
    expect(doc.paths['/api/v1/ping']?.get.security).toEqual([{ bearer: [] }]);
    expect(doc.paths['/api/v1/health']?.get.security).toBeUndefined();
  });
});

describe('WebSocket upgrades on the workstation server', () => {
  it('an undeclared path is a 404 in its family envelope', async () => {
    const api = await serveWorkstation(t.ws, { port: 0, logger: silentLogger });
    try {
      for (const [path, body] of [
        ['/api/projects/live', { status: 'error', error: { code: 'not_found' } }],
        ['/train', { status: 'error', message: 'no WebSocket at /train' }],
      ] as const) {
        const reply = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
          const socket = net.connect(api.port, '127.0.0.1');
          const chunks: Buffer[] = [];
          socket.on('data', (c: Buffer) => chunks.push(c));
          socket.on('error', reject);
          socket.on('close', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const [head = '', rest = ''] = text.split('\r\n\r\n');
            resolve({ status: Number(head.split(' ')[1]), body: JSON.parse(rest) });
          });
          socket.write(
            `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
              'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          );
        });
        expect(reply.status, path).toBe(404);
        expect(reply.body).toMatchObject(body);
      }
    } finally {
      await api.close();
    }
  });
});

describe('tabular regression: odd requests', () => {
  it('answer 4xx in the family envelope, never a 500', async () => {
    const cases = [
      [request(t.app).get('/upload'), 405, /^GET is not allowed on \/upload; use POST$/],
      [request(t.app).delete('/train'), 405, /use POST/],
      [request(t.app).post('/train/more'), 404, /^no route POST \/train\/more$/],
      [request(t.app).post('/predict').send({ inputs: 'x' }), 400, /^Prediction failed: inputs/],
      [request(t.app).post('/train').send({ epochs: 1, extra: 1 }), 400, /^Training failed: /],
      [request(t.app).post('/upload').field('target_column', 'y'), 400, /holds no file/],
      [request(t.app).get('/outputs/..%2F..%2Fassay.db'), 404, /No output file named/],
      [request(t.app).get('/outputs/secret.txt'), 404, /No output file named/],
    ] as const;
    for (const [pending, status, message] of cases) {
      const res = await pending;
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body).toEqual({ status: 'error', message: expect.stringMatching(message) });
    }
    const wrong = await request(t.app).get('/reset');
    expect(wrong.headers.allow).toBe('POST');
  });
});

describe('regression upload form', () => {
  it('skips undeclared parts and fields, keeps the declared file', async () => {
    const csv = ['a,b,y', ...Array.from({ length: 40 }, (_, i) => `${i},${i % 3},${2 * i}`)].join(
      '\n',
    );
    const res = await request(t.app)
      .post('/upload')
      .attach('other', Buffer.from('ignored'), 'other.bin')
      .field('comment', 'not a declared field')
      .attach('file', Buffer.from(`${csv}\n`), 'grid.csv');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'success', filename: 'grid.csv', num_points: 40 });
  });
});
