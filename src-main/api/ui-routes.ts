import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router, type Request, type Response } from 'express';
import type { Workstation } from '../core/workstation.js';

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Assay</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
<h1>Assay</h1>
<p>The workstation server is running, but its user interface has not been built.</p>
<p>Build it with <code>npm run build:renderer</code> (or <code>npm run build</code>) and reload.</p>
<p>The API is available meanwhile: <a href="/docs">/docs</a> · <a href="/openapi.json">/openapi.json</a>.</p>
</body></html>
`;

/** The audio portal's pages besides `/` (DESIGN §5); scripts asking for them get the 404 envelope. */
const AUDIO_PAGES = ['/classify', '/realtime', '/analytics', '/dataset', '/training'];

/** A browser navigating: it asks for HTML ahead of JSON (curl's `*\/*` picks JSON). */
const wantsHtml = (req: Request): boolean =>
  req.accepts(['application/json', 'text/html']) === 'text/html';

/**
 * `/health`, `/`, the built UI's static files and the SPA fallback. `uiDir` is vite's output
 * (dist/renderer); without it a page explains how to build the UI.
 */
export function uiRouter(ws: Workstation, uiDir: string | undefined): Router {
  const router = Router();
  const indexFile = uiDir ? path.resolve(uiDir, 'index.html') : undefined;

  const sendIndex = (res: Response): void => {
    res.setHeader('Cache-Control', 'no-cache');
    if (indexFile && existsSync(indexFile)) res.sendFile(indexFile, { dotfiles: 'allow' });
    else res.type('html').send(NOT_BUILT_PAGE);
  };

  // DESIGN.md §5: one body for every family's /health, without the envelope.
  router.get('/health', async (_req, res) => {
    res.json(await ws.ops.health({}));
  });

  router.get('/', (req, res) => {
    if (wantsHtml(req)) sendIndex(res);
    else res.json({ message: 'Backend is connected!' });
  });

  // api-reference/audio-portal.md's pages: the app opens the matching screen from the path.
  router.get(AUDIO_PAGES, (req, res, next) => {
    if (wantsHtml(req)) sendIndex(res);
    else next();
  });

  if (uiDir) {
    router.use(express.static(path.resolve(uiDir), { index: false, fallthrough: true }));
  }

  // Client-side routes (/projects/…) load the app shell; /api stays JSON (404 envelope).
  router.get(/^(?!\/api(\/|$)).*/, (req, res, next) => {
    if (wantsHtml(req)) sendIndex(res);
    else next();
  });
  return router;
}
