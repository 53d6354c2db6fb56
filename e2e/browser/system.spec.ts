import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { screenshot, test, expect } from '../helpers/fixtures.js';
import { TOTAL_IMAGES, writeImageFolder } from '../helpers/images.js';
import { createProject, waitForImport } from '../helpers/ui.js';
import { formatBytes } from '../../src-renderer/lib/format.js';

const require = createRequire(import.meta.url);
const installed = (pkg: string) => (require(`${pkg}/package.json`) as { version: string }).version;

async function apiData<T>(page: Page, url: string): Promise<T> {
  const res = await page.request.get(url);
  expect(res.status()).toBe(200);
  return ((await res.json()) as { data: T }).data;
}

interface Backend {
  name: string;
  package: string;
  available: boolean;
}

test('the System screen shows the real devices, workspace, versions and models; docs answer', async ({
  app,
  scratch,
}) => {
  const { page, url } = app;
  await createProject(page, 'Imported');
  await page.getByTestId('folder-input').setInputFiles(await writeImageFolder(`${scratch}/imgs`));
  expect(await waitForImport(page)).toContain(`Imported ${TOTAL_IMAGES} items`);
  await createProject(page, 'Empty one');

  await page.getByTestId('nav-system').click();
  await expect(page).toHaveURL(/#\/system$/);
  await expect(page.getByTestId('screen-system')).toBeVisible();

  // Backends: every one the API lists, with its installed state.
  const devices = await apiData<{ devices: { id: string }[]; backends: Backend[] }>(
    page,
    `${url}/api/system/devices`,
  );
  await expect(page.getByTestId('backend-list').locator('tbody tr')).toHaveCount(
    devices.backends.length,
  );
  for (const b of devices.backends) {
    await expect(page.getByTestId(`backend-${b.name}-state`)).toHaveText(
      b.available ? 'installed' : 'not installed',
    );
    await expect(page.getByTestId(`backend-${b.name}`)).toContainText(b.package);
  }
  const native = devices.backends.find((b) => b.name === 'tensorflow');
  if (native !== undefined && !native.available) {
    await expect(page.getByTestId('backend-tensorflow')).toContainText('libtensorflow');
  }
  for (const d of devices.devices) await expect(page.getByTestId(`device-${d.id}`)).toBeVisible();

  // Workspace: folder, totals and each project's bytes, as the API measures them.
  const ws = await apiData<{
    path: string;
    total_bytes: number;
    projects: { id: string; name: string; bytes: number }[];
  }>(page, `${url}/api/system/workspace`);
  await expect(page.getByTestId('workspace-path')).toHaveText(ws.path);
  await expect(page.getByTestId('workspace-projects').locator('tbody tr')).toHaveCount(2);
  for (const p of ws.projects) {
    await expect(
      page.getByTestId(`workspace-project-${p.id}`).getByTestId('project-bytes'),
    ).toHaveText(formatBytes(p.bytes));
  }
  const imported = ws.projects.find((p) => p.name === 'Imported');
  expect(imported?.bytes ?? 0).toBeGreaterThan(0);
  // The largest project is listed first.
  await expect(page.getByTestId('workspace-projects').locator('tbody tr').first()).toContainText(
    'Imported',
  );

  // Versions: from the health body, and the same as what is installed.
  const health = await apiData<{ version: string; detail: { versions: Record<string, unknown> } }>(
    page,
    `${url}/api/system/health`,
  );
  await expect(page.getByTestId('version-app')).toHaveText(health.version);
  await expect(page.getByTestId('version-node')).toHaveText(String(health.detail.versions.node));
  await expect(page.getByTestId('version-tfjs')).toHaveText(installed('@tensorflow/tfjs-core'));
  await expect(page.getByTestId('version-onnxruntime')).toHaveText(installed('onnxruntime-node'));
  await expect(page.getByTestId('version-electron')).toHaveText('not running in Electron');

  const models = await apiData<{ models_loaded: number; models: unknown[] }>(
    page,
    `${url}/api/system/models`,
  );
  await expect(page.getByTestId('models-loaded')).toHaveText(String(models.models_loaded));
  if (models.models.length === 0) await expect(page.getByTestId('models-empty')).toBeVisible();
  await expect(page.getByTestId('run-logs-location')).toContainText(`${ws.path}/projects/`);
  await screenshot(page, '90-system');
  await page.getByTestId('system-help').scrollIntoViewIfNeeded();
  await screenshot(page, '90-system-versions-models-docs');

  // The docs link opens the API reference, which answers 200.
  const link = page.getByTestId('docs-link');
  const href = await link.getAttribute('href');
  expect(href).toBe('/docs');
  const docs = await page.request.get(new URL(href ?? '', url).href);
  expect(docs.status()).toBe(200);
  const [popup] = await Promise.all([page.waitForEvent('popup'), link.click()]);
  await popup.waitForLoadState();
  expect(new URL(popup.url()).pathname).toMatch(/^\/docs\/?$/);
  await expect(popup).toHaveTitle('Assay API');
  await expect(popup.locator('.swagger-ui .info').first()).toBeVisible();
  await popup.close();
  expect(app.errors).toEqual([]);
});

test('unknown routes show a not-found screen with a way back', async ({ app }) => {
  const { page } = app;
  for (const hash of [
    '#/nonsense',
    '#/projects/unknown-id/runs',
    '#/projects/proj-0a1b2c3d/runs',
  ]) {
    // Typed into the address bar: a hash change, no reload.
    await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
    await expect(page.getByTestId('screen-not-found')).toBeVisible();
    await expect(page.getByTestId('not-found-hash')).toHaveText(hash);
    // Nothing names a project or screen that is not there.
    await expect(page.getByRole('banner')).toHaveText('Not found');
    await expect(page.getByTestId('nav-runs')).not.toHaveAttribute('aria-current', 'page');
  }
  await screenshot(page, '91-not-found');
  await page.getByTestId('not-found-back').click();
  await expect(page.getByTestId('screen-projects')).toBeVisible();
  await expect(page).toHaveURL(/#\/projects$/);

  // A reload on a bad address lands on not-found too, not silently on Projects.
  await page.goto(`${app.url}/#/projects/unknown-id/dataset`);
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await expect(page.getByTestId('screen-not-found')).toBeVisible();
  expect(app.errors).toEqual([]);
});
