// The desktop shell end to end, through Playwright's Electron support: the real main process,
// the sandboxed preload, IPC into the real core, and the custom protocols. Skipped, with the
// reason, where Electron cannot run (its binary is not downloaded on this project's machines).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import type { WorkstationClient } from '../../src-shared/contract/client.js';
import { REPO_ROOT } from '../helpers/server.js';
import { TOTAL_IMAGES, writeImageFolder } from '../helpers/images.js';
import { createProject, waitForImport } from '../helpers/ui.js';
import { electronAvailability } from './electron-env.js';
import { exemptSkip } from '../../tests/helpers/oracle.js';

const electron = electronAvailability();
const SCREENSHOTS = path.join(REPO_ROOT, 'e2e/artifacts/screenshots');

/** The page's globals as the preload exposes them (typed without the DOM library). */
type PageGlobals = { assay?: WorkstationClient; require?: unknown; process?: unknown };

let root: string;
let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  if ('reason' in electron) {
    // The one skip CI allows (see CI_EXEMPT): said where CI logs show it.
    test.skip(true, exemptSkip('electron', `Electron end-to-end tests: ${electron.reason}`));
    return;
  }
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-electron-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  delete env['ELECTRON_RUN_AS_NODE'];
  app = await _electron.launch({
    executablePath: electron.path,
    // Root (CI containers) cannot use Chromium's setuid sandbox; the page sandbox stays on.
    args: [
      ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
      REPO_ROOT,
      '--workspace',
      path.join(root, 'workspace'),
      '--no-api',
    ],
    cwd: REPO_ROOT,
    env,
  });
  page = await app.firstWindow();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready', {
    timeout: 60_000,
  });
});

test.afterAll(async () => {
  await app?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

test('the page has no Node, only the bridge, and stays on the app origin', async () => {
  expect(page.url()).toBe('assay://app/index.html');
  const globals = await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals;
    return { require: typeof g.require, process: typeof g.process, kind: g.assay?.kind };
  });
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', kind: 'electron' });

  // Navigation away from the app is cancelled.
  await page.evaluate(() => {
    (globalThis as unknown as { location: { href: string } }).location.href =
      'https://example.com/';
  });
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  expect(page.url()).toBe('assay://app/index.html');
});

test('shows Projects, creates a project in the UI, and IPC round-trips', async () => {
  await expect(page.getByTestId('projects-empty')).toBeVisible();
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, 'electron-01-projects.png') });

  await createProject(page, 'Desktop project');
  const names = await page.evaluate(async () => {
    const { assay } = globalThis as unknown as PageGlobals;
    return (await assay!.listProjects({})).map((p) => p.name);
  });
  expect(names).toEqual(['Desktop project']);

  // Expected failures cross IPC as errors with their message, never as a crash.
  const failure = await page.evaluate(async () => {
    const { assay } = globalThis as unknown as PageGlobals;
    return assay!.getProject({ id: 'proj-00000000' }).then(
      () => 'resolved',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
  });
  expect(failure).toMatch(/not found/);
});

test('imports a folder by path and shows thumbnails over assay-media://', async () => {
  const folder = await writeImageFolder(path.join(root, 'images'));
  await page.getByTestId('import-path-input').fill(folder);
  await page.getByTestId('import-path-button').click();
  expect(await waitForImport(page)).toContain(`Imported ${TOTAL_IMAGES} items`);
  const thumbs = page.getByTestId('item-thumb');
  await expect(thumbs.first()).toBeVisible();
  await expect
    .poll(() =>
      thumbs.evaluateAll(
        (imgs) =>
          imgs.filter((i) => {
            const img = i as unknown as { complete: boolean; naturalWidth: number; src: string };
            return img.complete && img.naturalWidth > 0 && img.src.startsWith('assay-media://');
          }).length,
      ),
    )
    .toBeGreaterThan(0);
  await page.screenshot({ path: path.join(SCREENSHOTS, 'electron-02-dataset.png') });
});
