// Section 1 of training-platform.md: projects.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
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

describe('projects', () => {
  it('creates a project with the documented shape', async () => {
    const res = await request(t.app)
      .post('/api/projects')
      .send({ name: 'My Classification Project', task: 'classification' });
    const project = okData(res, Project);
    expect(project.id).toMatch(/^proj-[0-9a-f]{8}$/);
    expect(project.name).toBe('My Classification Project');
    expect(project.task).toBe('classification');
    expect(Number.isNaN(Date.parse(project.created_at))).toBe(false);
    expect(project).toMatchObject({ item_count: 0, class_count: 0, split_count: 0 });
  });

  it('defaults the task to classification', async () => {
    const project = okData(await request(t.app).post('/api/projects').send({ name: 'x' }), Project);
    expect(project.task).toBe('classification');
  });

  it('lists, gets, updates and deletes', async () => {
    const p = await createProject(t.app, 'Listed', 'audio-classification');
    const list = okData(await request(t.app).get('/api/projects'), z.array(Project));
    expect(list.map((x) => x.id)).toContain(p.id);

    const got = okData(await request(t.app).get(`/api/projects/${p.id}`), Project);
    expect(got).toMatchObject({ id: p.id, name: 'Listed', task: 'audio-classification' });

    const renamed = okData(
      await request(t.app).patch(`/api/projects/${p.id}`).send({ name: 'Renamed' }),
      Project,
    );
    expect(renamed).toMatchObject({ id: p.id, name: 'Renamed', task: 'audio-classification' });
    const retasked = okData(
      await request(t.app).patch(`/api/projects/${p.id}`).send({ task: 'wake-word' }),
      Project,
    );
    expect(retasked).toMatchObject({ name: 'Renamed', task: 'wake-word' });

    const deleted = okData(
      await request(t.app).delete(`/api/projects/${p.id}`),
      z.object({ deleted: z.literal(true), id: z.string() }),
    );
    expect(deleted.id).toBe(p.id);
    expectError(await request(t.app).get(`/api/projects/${p.id}`), 404, 'not_found');
    const after = okData(await request(t.app).get('/api/projects'), z.array(Project));
    expect(after.map((x) => x.id)).not.toContain(p.id);
  });

  it('answers 404 for unknown ids on every project route', async () => {
    const id = 'proj-00000000';
    expectError(await request(t.app).get(`/api/projects/${id}`), 404, 'not_found');
    expectError(
      await request(t.app).patch(`/api/projects/${id}`).send({ name: 'a' }),
      404,
      'not_found',
    );
    expectError(await request(t.app).delete(`/api/projects/${id}`), 404, 'not_found');
  });

  it('refuses ids that try to leave the workspace without touching the filesystem', async () => {
    for (const id of ['..%2F..%2Fetc', '..%2Fassay.db', '%2E%2E', 'proj-0000000g']) {
      expectError(await request(t.app).get(`/api/projects/${id}`), 400, 'validation_error');
      expectError(await request(t.app).delete(`/api/projects/${id}`), 400, 'validation_error');
    }
  });

  it('validates bodies with readable messages', async () => {
    const empty = expectError(
      await request(t.app).post('/api/projects').send({ name: '   ' }),
      400,
      'validation_error',
    );
    expect(empty.error.message).toContain('name');
    const badTask = expectError(
      await request(t.app).post('/api/projects').send({ name: 'a', task: 'astrology' }),
      400,
      'validation_error',
    );
    expect(badTask.error.message).toMatch(/^task: /);
    expectError(
      await request(t.app).post('/api/projects').send({ name: 'a', extra: true }),
      400,
      'validation_error',
    );
    const missing = expectError(
      await request(t.app).post('/api/projects'),
      400,
      'validation_error',
    );
    expect(missing.error.message).toContain('name');
    expectError(await request(t.app).post('/api/projects').send([1, 2]), 400, 'validation_error');
    const p = await createProject(t.app);
    expectError(
      await request(t.app).patch(`/api/projects/${p.id}`).send({}),
      400,
      'validation_error',
    );
  });

  it('refuses malformed JSON and non-JSON bodies', async () => {
    const res = await request(t.app)
      .post('/api/projects')
      .set('Content-Type', 'application/json')
      .send('{"name": "x",');
    expectError(res, 400, 'invalid_json');
    expectError(
      await request(t.app).post('/api/projects').set('Content-Type', 'text/plain').send('name=x'),
      415,
      'unsupported_media_type',
    );
  });
});
