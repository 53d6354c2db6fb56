// api-reference/audio-portal.md's pages: a browser gets the app at each of them (its router opens
// the matching screen), scripts get what they always got.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './helpers/test-app.js';

const PAGES = ['/', '/classify', '/realtime', '/analytics', '/dataset', '/training'];
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

let t: TestApp;
let uiDir: string;
beforeAll(async () => {
  uiDir = await mkdtemp(path.join(os.tmpdir(), 'assay-ui-'));
  await mkdir(path.join(uiDir, 'audio'), { recursive: true });
  await writeFile(path.join(uiDir, 'index.html'), '<!doctype html><title>Assay UI shell</title>');
  await writeFile(
    path.join(uiDir, 'audio', 'capture-worklet.js'),
    'registerProcessor("x", class {})',
  );
  t = await openTestApp({ uiDir });
});
afterAll(async () => {
  await t.close();
  await rm(uiDir, { recursive: true, force: true });
});

describe('audio portal pages', () => {
  it.each(PAGES)('%s gives a browser the app shell, uncached', async (page) => {
    const res = await request(t.app).get(page).set('Accept', BROWSER);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('Assay UI shell');
  });

  it('a trailing slash is the same page', async () => {
    const res = await request(t.app).get('/classify/').set('Accept', BROWSER);
    expect(res.status).toBe(200);
    expect(res.text).toContain('Assay UI shell');
  });

  it('scripts keep their answers: JSON at /, the 404 envelope at the other pages', async () => {
    const root = await request(t.app).get('/').set('Accept', 'application/json');
    expect(root.body).toEqual({ message: 'Backend is connected!' });
    for (const page of PAGES.slice(1)) {
      const res = await request(t.app).get(page).set('Accept', 'application/json');
      expect(res.status, page).toBe(404);
      expect(res.headers['content-type']).toMatch(/json/);
      const curl = await request(t.app).get(page).set('Accept', '*/*');
      expect(curl.status, page).toBe(404);
    }
  });

  it('serves the microphone worklet module as JavaScript', async () => {
    const res = await request(t.app).get('/audio/capture-worklet.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it('a page name under /api stays an API miss, never the UI', async () => {
    const res = await request(t.app).get('/api/classify').set('Accept', BROWSER);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/json/);
  });
});
