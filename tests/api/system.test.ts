// Section 7 of training-platform.md, plus /health, /, /openapi.json and /docs.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { operationNames, operations } from '../../src-shared/contract/operations.js';
import { Devices, Health, WorkspaceStats } from '../../src-shared/contract/system.js';
import { createProject, okData, openTestApp, type TestApp } from './helpers/test-app.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('system', () => {
  it('health: enveloped at /api/system/health, bare at /health, one body', async () => {
    const api = okData(await request(t.app).get('/api/system/health'), Health);
    expect(api.status).toBe('healthy');
    expect(api.version).toBe('0.0.0-test');
    const bare = await request(t.app).get('/health');
    expect(bare.status).toBe(200);
    const body = Health.parse(bare.body);
    expect(Object.keys(body).sort()).toEqual([
      'detail',
      'models_loaded',
      'status',
      'timestamp',
      'version',
    ]);
    expect(body.version).toBe(api.version);
  });

  it('lists devices truthfully with a CPU and a default selection', async () => {
    const d = okData(await request(t.app).get('/api/system/devices'), Devices);
    expect(d.devices.some((x) => x.id === 'cpu' && x.type === 'cpu')).toBe(true);
    const hasGpu = d.devices.some((x) => x.type === 'gpu');
    if (!hasGpu) expect(d.cuda_available).toBe(false);
    expect(d.default_selected).toEqual(hasGpu ? ['gpu:0'] : ['cpu']);
    expect(d.backends.length).toBeGreaterThan(0);
  });

  it('reports workspace stats', async () => {
    const p = await createProject(t.app, 'Counted');
    const w = okData(await request(t.app).get('/api/system/workspace'), WorkspaceStats);
    expect(w.path).toBe(t.workspaceDir);
    expect(w.database_bytes).toBeGreaterThan(0);
    expect(w.disk_total_bytes).toBeGreaterThan(0);
    expect(w.projects.map((x) => x.id)).toContain(p.id);
  });
});

describe('root, OpenAPI and docs', () => {
  it('GET / answers scripts with JSON and browsers with HTML', async () => {
    const json = await request(t.app).get('/');
    expect(json.status).toBe(200);
    expect(json.body).toEqual({ message: 'Backend is connected!' });
    const curl = await request(t.app).get('/').set('Accept', '*/*');
    expect(curl.body).toEqual({ message: 'Backend is connected!' });
    const html = await request(t.app)
      .get('/')
      .set('Accept', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    // No UI built in this app: the page says how to build it.
    expect(html.text).toContain('npm run build');
  });

  it('serves a built UI, its assets and the SPA fallback', async () => {
    const uiDir = path.join(t.root, 'ui');
    await mkdir(path.join(uiDir, 'assets'), { recursive: true });
    await writeFile(path.join(uiDir, 'index.html'), '<!doctype html><title>Assay UI</title>');
    await writeFile(path.join(uiDir, 'assets', 'app.js'), 'console.log(1)');
    const ui = await openTestApp({ uiDir });
    try {
      const accept = 'text/html,*/*;q=0.8';
      const index = await request(ui.app).get('/').set('Accept', accept);
      expect(index.text).toContain('Assay UI');
      const asset = await request(ui.app).get('/assets/app.js');
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toMatch(/javascript/);
      const deep = await request(ui.app)
        .get('/projects/proj-12345678/dataset')
        .set('Accept', accept);
      expect(deep.text).toContain('Assay UI');
      const api = await request(ui.app).get('/api/nothing-here').set('Accept', accept);
      expect(api.status).toBe(404);
      expect(api.body.error.code).toBe('not_found');
    } finally {
      await ui.close();
    }
  });

  it('/openapi.json documents every operation and the binary routes', async () => {
    const res = await request(t.app).get('/openapi.json');
    expect(res.status).toBe(200);
    const doc = z
      .object({
        openapi: z.string(),
        paths: z.record(
          z.string(),
          z.record(z.string(), z.object({ operationId: z.string() }).loose()),
        ),
      })
      .parse(res.body);
    expect(doc.openapi).toMatch(/^3\./);
    for (const name of operationNames) {
      const def = operations[name];
      const p = def.path.replace(/:([A-Za-z_]+)/g, '{$1}');
      expect(doc.paths[p]?.[def.method.toLowerCase()]?.operationId, `${def.method} ${p}`).toBe(
        name,
      );
    }
    for (const [p, m] of [
      ['/api/datasets/{project_id}/images/{filename}', 'get'],
      ['/api/datasets/{project_id}/thumbnails/{filename}', 'get'],
      ['/api/datasets/{project_id}/import/upload', 'post'],
      ['/api/jobs/{job_id}/events', 'get'],
      ['/health', 'get'],
    ] as const) {
      expect(doc.paths[p]?.[m], `${m} ${p}`).toBeDefined();
    }
  });

  it('/docs serves Swagger UI', async () => {
    const res = await request(t.app).get('/docs/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('swagger-ui');
  });
});
