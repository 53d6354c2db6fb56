import { readFile } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import { trainRun } from '../helpers/api.js';
import { screenshot, test, expect } from '../helpers/fixtures.js';
import { CLASSES, TOTAL_IMAGES, writeImageFolder } from '../helpers/images.js';

/** Training is set up over the API for speed; evaluation and export are driven from the UI. */
const SETUP_TIMEOUT = 120_000;

/**
 * Issue 4's path: a trained run evaluated from the UI (metrics, confusion matrix), a cell's items
 * opened in the gallery, then an ONNX export created from the UI and downloaded as a ZIP.
 */
test('evaluate a run, open a confusion cell, export to ONNX and download it', async ({
  app,
  scratch,
}) => {
  test.setTimeout(SETUP_TIMEOUT * 2 + 60_000);
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/patches`);
  // A few quick epochs of a tiny CNN.
  const { pid, runId } = await trainRun(page.request, app.url, {
    projectName: 'Evaluate me',
    folder,
    experiment: {
      name: 'tiny cnn',
      config: {
        architecture: 'small-cnn',
        input: { width: 16, height: 16, channels: 3 },
        epochs: 4,
        batch_size: 8,
        seed: 7,
        early_stopping: { enabled: false },
      },
    },
    timeout: SETUP_TIMEOUT,
  });

  await page.goto(`${app.url}/#/projects/${pid}/evaluation`);
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await expect(page.getByTestId('evaluation-screen')).toBeVisible();
  await expect(page.getByTestId('eval-run-select')).toHaveValue(runId);
  await page.getByTestId('eval-checkpoint-select').selectOption('best');
  await page.getByTestId('eval-subset-select').selectOption('test');
  await page.getByTestId('eval-start-button').click();

  const view = page.getByTestId('eval-view');
  await expect(view).toHaveAttribute('data-status', /completed|failed/, { timeout: 60_000 });
  expect(await view.getAttribute('data-status'), (await view.textContent()) ?? '').toBe(
    'completed',
  );
  await expect(page.getByTestId('eval-row')).toHaveCount(1);
  await expect(page.getByTestId('eval-accuracy')).toHaveText(/%$/);
  // 20% of 10/20/30 items: every class has under 20 test items, so each gets its interval.
  await expect(page.getByTestId('eval-accuracy-interval')).toHaveText(/\(95% interval \d+%–\d+%\)/);
  const smallData = page.getByTestId('eval-small-data');
  await expect(smallData).toContainText('3 classes have fewer than 20 items here');
  for (const cls of Object.keys(CLASSES)) {
    await expect(smallData).toContainText(new RegExp(`${cls} \\d+/\\d+ right \\(\\d+%–\\d+%\\)`));
  }
  await expect(page.getByTestId('eval-class-row')).toHaveCount(Object.keys(CLASSES).length);
  const plot = page.getByTestId('eval-confusion');
  await expect(plot).toHaveAttribute('data-plot-ready', 'true');
  await expect(plot.locator('.hm, image').first()).toBeAttached();
  await screenshot(page, 'evaluation-confusion');

  // The test subset of a stratified 60/20/20 split: about a fifth of each class.
  const testTotal = Math.round(TOTAL_IMAGES * 0.2);
  const n = Object.keys(CLASSES).length;
  /** Clicks a cell through plotly's own drag layer, measured afresh (the page may have scrolled). */
  const clickCell = async (row: number, col: number): Promise<void> => {
    await plot.scrollIntoViewIfNeeded();
    const box = await plot.locator('.nsewdrag').first().boundingBox();
    if (box === null) throw new Error('the confusion plot has no plot area');
    await page.mouse.click(
      box.x + ((col + 0.5) * box.width) / n,
      box.y + ((row + 0.5) * box.height) / n,
    );
  };
  let opened = false;
  for (let cell = 0; cell < n && !opened; cell += 1) {
    // Diagonal cells in turn: a class the tiny model never predicts right would have none.
    await clickCell(cell, cell);
    const gallery = page.getByTestId('eval-gallery');
    await expect(gallery).toHaveAttribute('data-status', 'ready');
    opened = Number(await page.getByTestId('eval-gallery-total').textContent()) > 0;
  }
  expect(opened, 'some diagonal cell has items').toBe(true);
  const total = Number(await page.getByTestId('eval-gallery-total').textContent());
  expect(total).toBeLessThanOrEqual(testTotal);
  await expect(page.getByTestId('eval-gallery-item')).toHaveCount(total);
  await expect
    .poll(() =>
      page
        .getByTestId('eval-gallery-thumb')
        .evaluateAll(
          (imgs) =>
            (imgs as unknown as { complete: boolean; naturalWidth: number }[]).filter(
              (i) => i.complete && i.naturalWidth > 0,
            ).length,
        ),
    )
    .toBe(total);
  await page.getByTestId('eval-gallery').scrollIntoViewIfNeeded();
  await screenshot(page, 'evaluation-gallery');

  // An off-diagonal cell (true first class, predicted second) lists exactly its count's items.
  const classes = await page
    .getByTestId('eval-class-row')
    .locator('td:first-child')
    .allTextContents();
  await clickCell(0, 1);
  await expect(page.getByTestId('eval-gallery-title')).toHaveText(
    `True ${classes[0]}, predicted ${classes[1]}`,
  );
  await expect(page.getByTestId('eval-gallery')).toHaveAttribute('data-status', 'ready');
  const offTotal = Number(await page.getByTestId('eval-gallery-total').textContent());
  await expect(page.getByTestId('eval-gallery-item')).toHaveCount(offTotal);

  // Export from the UI: ONNX with its defaults (opset 17, dynamic batch, simplify).
  await page.getByTestId('nav-export').click();
  await expect(page.getByTestId('export-screen')).toBeVisible();
  await expect(page.getByTestId('export-run-select')).toHaveValue(runId);
  await page.getByTestId('export-format-select').selectOption('onnx');
  await page.getByTestId('export-opset').fill('99');
  await expect(page.getByTestId('export-invalid')).toBeVisible();
  await expect(page.getByTestId('export-create-button')).toBeDisabled();
  await page.getByTestId('export-opset').fill('17');
  await page.getByTestId('export-create-button').click();
  const row = page.getByTestId('export-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', /completed|failed/, { timeout: 60_000 });
  expect(await row.getAttribute('data-status'), (await row.textContent()) ?? '').toBe('completed');
  await screenshot(page, 'export-completed');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-download').click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.zip$/);
  const bytes = await readFile(await download.path());
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
  const files = unzipSync(new Uint8Array(bytes));
  expect(Object.keys(files)).toContain('model.onnx');
  expect((files['model.onnx'] ?? new Uint8Array()).length).toBeGreaterThan(100);

  // Deleted from the list.
  await page.getByTestId('export-delete').click();
  await expect(page.getByTestId('export-row')).toHaveCount(0);

  expect(app.errors).toEqual([]);
});
