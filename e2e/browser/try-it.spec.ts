import { readFile } from 'node:fs/promises';
import type { APIRequestContext } from '@playwright/test';
import { api, trainRun, type Envelope } from '../helpers/api.js';
import { screenshot, test, expect } from '../helpers/fixtures.js';
import { CLASSES, writeImageFolder } from '../helpers/images.js';

/** Import, split and the default experiment's run, set up over the API for speed. */
const SETUP_TIMEOUT = 240_000;

/** The first image of `cls` that the project's split 0 holds out for testing. */
async function testImageOf(
  request: APIRequestContext,
  base: string,
  pid: string,
  cls: string,
): Promise<string> {
  for (let i = 0; i < CLASSES[cls as keyof typeof CLASSES]; i++) {
    const filename = `${cls}/img-${String(i).padStart(3, '0')}.png`;
    const info = await api<{ splits: { split_index: number; subset: string }[] }>(
      request,
      'GET',
      `${base}/api/datasets/${pid}/images/${encodeURIComponent(filename)}/info`,
    );
    if (info.splits.some((s) => s.split_index === 0 && s.subset === 'test')) return filename;
  }
  throw new Error(`no ${cls} image in the test subset`);
}

/**
 * Issue 8's path: the default image experiment trained, its run opened, a test image dropped on
 * Try it; the panel shows a probability for every class (summing to 1) and the same top class
 * as the HTTP predict operation gives for the same file.
 */
test('Try it: drop an image on a trained run and see its class', async ({ app, scratch }) => {
  test.setTimeout(SETUP_TIMEOUT * 2 + 60_000);
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/patches`);
  // The default experiment: no config given, so the task's defaults (the MobileNetV2 transfer).
  const { pid, runId } = await trainRun(page.request, app.url, {
    projectName: 'Try me',
    folder,
    experiment: { name: 'default' },
    timeout: SETUP_TIMEOUT,
  });

  // The page was loaded before the project existed: a reload lists it.
  await page.goto(`${app.url}/#/projects/${pid}/runs/${runId}`);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'completed');
  const panel = page.getByTestId('try-it');
  await expect(panel).toBeVisible();

  // A held-out image: the model never trained on it.
  const trueClass = 'blue';
  const held = await testImageOf(page.request, app.url, pid, trueClass);
  const name = held.replace('/', '-');
  const bytes = await readFile(`${folder}/${held}`);
  const dataTransfer = await page.evaluateHandle(
    ({ b64, fileName }) => {
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], n: string, opts: { type: string }) => unknown;
        atob(s: string): string;
      };
      const dt = new g.DataTransfer();
      dt.items.add(
        new g.File([Uint8Array.from(g.atob(b64), (c) => c.charCodeAt(0))], fileName, {
          type: 'image/png',
        }),
      );
      return dt;
    },
    { b64: bytes.toString('base64'), fileName: name },
  );
  await page.getByTestId('try-it-drop').dispatchEvent('drop', { dataTransfer });

  // The first use exports the checkpoint to ONNX: the panel says it is working, then answers.
  await expect(panel).toHaveAttribute('data-state', /done|error/, { timeout: 60_000 });
  await expect(page.getByTestId('try-it-error')).toHaveCount(0);
  await expect(page.getByTestId('try-it-item')).toHaveText(name);
  const bars = page.getByTestId('try-it-bar');
  await expect(bars).toHaveCount(Object.keys(CLASSES).length);
  const labels = await bars.evaluateAll((els) =>
    els.map((e) => (e as unknown as { dataset: { label: string } }).dataset.label),
  );
  expect([...labels].sort()).toEqual(Object.keys(CLASSES).sort());
  const probs = (
    await bars.evaluateAll((els) =>
      els.map((e) => (e as unknown as { dataset: { probability: string } }).dataset.probability),
    )
  ).map(Number);
  expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  expect(probs).toEqual([...probs].sort((a, b) => b - a));
  await expect(page.getByTestId('try-it-time')).toContainText('ms');
  const shown = (await page.getByTestId('try-it-top').textContent()) ?? '';

  // The same file through the HTTP predict operation gives the same top class.
  const res = await page.request.post(`${app.url}/api/training/${pid}/runs/${runId}/predict`, {
    multipart: { file: { name, mimeType: 'image/png', buffer: bytes } },
  });
  const body = (await res.json()) as Envelope<{ top: { label: string } }>;
  expect(body.status, JSON.stringify(body)).toBe('ok');
  expect(shown).toBe(body.data.top.label);
  // …and it is the image's own class (the default model is the pretrained MobileNetV2 transfer).
  expect(shown).toBe(trueClass);

  await screenshot(page, 'try-it');
  expect(app.errors).toEqual([]);
});
