import { trainRun } from '../helpers/api.js';
import { screenshot, test, expect } from '../helpers/fixtures.js';
import { TOTAL_IMAGES, writeImageFolder } from '../helpers/images.js';
import { createProject, waitForImport } from '../helpers/ui.js';

const SETUP_TIMEOUT = 240_000;

/**
 * Issue 13 item 2, before any run: each screen says what comes next. The header's checklist moves
 * from data to split to experiment; the import offers "create a split"; the Evaluation screen
 * with no run names the Experiments screen, and its button goes there.
 */
test('first use: next steps from import to the first experiment', async ({ app, scratch }) => {
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/patches`);
  await createProject(page, 'First steps');
  const checklist = page.getByTestId('setup-checklist');
  await expect(checklist).toHaveAttribute('data-current', 'data');

  await page.getByTestId('import-path-input').fill(folder);
  await page.getByTestId('import-path-button').click();
  expect(await waitForImport(page)).toContain(`Imported ${TOTAL_IMAGES} items`);
  await expect(checklist).toHaveAttribute('data-current', 'split');
  await expect(page.getByTestId('setup-step-data')).toHaveAttribute('data-done', 'true');
  await screenshot(page, 'first-use-03-after-import');

  await page.getByTestId('import-next-split').click();
  await expect(page.getByTestId('screen-splits')).toBeVisible();
  await page.getByTestId('split-name-input').fill('baseline');
  await page.getByTestId('create-split-button').click();
  await expect(page.getByTestId('split-row')).toHaveCount(1);
  // The API's split_index 0 is the first split to a person.
  await expect(page.getByTestId('split-number')).toHaveText('1');
  // Item 8: one chart of the new split, not the preview's and the detail's side by side.
  await expect(page.getByTestId('split-detail')).toBeVisible();
  await expect(page.getByTestId('split-detail-number')).toHaveText('Split 1');
  await expect(page.getByTestId('screen-splits').locator('.plot-panel')).toHaveCount(1);
  // A toast never lies over a table.
  await expect(page.locator('.toast').first()).toBeVisible();
  // The toasts sit in a strip below the scrolling content that holds every table.
  const toastBox = await page.locator('.toasts').boundingBox();
  const contentBox = await page.locator('main.content').boundingBox();
  expect(contentBox!.y + contentBox!.height).toBeLessThanOrEqual(toastBox!.y + 1);
  const table = await page.getByTestId('split-row').first().boundingBox();
  expect(table!.y + table!.height).toBeLessThanOrEqual(toastBox!.y + 1);
  await screenshot(page, 'first-use-10-split-one-chart');
  await expect(checklist).toHaveAttribute('data-current', 'experiment');

  await page.getByTestId('nav-evaluation').click();
  const empty = page.getByTestId('eval-no-runs');
  await expect(empty).toContainText('Experiments screen');
  await screenshot(page, 'first-use-04-evaluation-empty');
  await page.getByTestId('eval-go-experiments').click();
  await expect(page.getByTestId('screen-experiments')).toBeVisible();
  await expect(page.getByTestId('new-experiment-split')).toContainText('Split 1 · baseline');
  expect(app.errors).toEqual([]);
});

/**
 * Issue 13 items 2 and 4 on a finished run: it is called "<experiment> #1" (and can be renamed),
 * its best checkpoint is said in words, and Evaluate / Export / Try it lead on, with the run chosen.
 * The Exports table names the experiment and its score.
 */
test('first use: a finished run by name, and its next steps', async ({ app, scratch }) => {
  test.setTimeout(SETUP_TIMEOUT + 120_000);
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/patches`);
  const { pid, runId } = await trainRun(page.request, app.url, {
    projectName: 'Named runs',
    folder,
    experiment: {
      name: 'tiny cnn',
      config: {
        architecture: 'small-cnn',
        input: { width: 16, height: 16, channels: 3 },
        epochs: 3,
        batch_size: 8,
        seed: 7,
        early_stopping: { enabled: false },
      },
    },
    timeout: SETUP_TIMEOUT,
  });

  await page.goto(`${app.url}/#/projects/${pid}/runs/${runId}`);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await expect(page.getByTestId('run-view')).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId('run-title')).toHaveText('tiny cnn #1');
  await expect(page.getByTestId('checkpoint-best-metric')).toHaveText(
    /^validation accuracy \d+(\.\d)? %$/,
  );
  await expect(page.getByTestId('setup-checklist')).toHaveAttribute('data-current', 'evaluation');
  await expect(page.getByTestId('run-next-steps')).toBeVisible();
  await screenshot(page, 'first-use-05-run-next-steps');

  // Renamed in place; the list shows the new name.
  await page.getByTestId('run-rename').click();
  await page.getByTestId('run-rename-input').fill('first try');
  await page.getByTestId('run-rename-save').click();
  await expect(page.getByTestId('run-title')).toHaveText('first try');

  await page.getByTestId('run-next-try').click();
  await expect(page.getByTestId('try-it')).toBeInViewport();

  await page.getByTestId('run-next-evaluate').click();
  await expect(page.getByTestId('evaluation-screen')).toBeVisible();
  await expect(page.getByTestId('eval-run-select')).toHaveValue(runId);
  await expect(page.getByTestId('eval-run-select').locator('option:checked')).toHaveText(
    'first try (completed)',
  );
  await page.getByTestId('eval-start-button').click();
  await expect(page.getByTestId('eval-view')).toHaveAttribute('data-status', 'completed', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('eval-title')).toContainText('first try on test');
  await expect(page.getByTestId('eval-row-run')).toHaveText('first try');

  await page.goto(`${app.url}/#/projects/${pid}/runs/${runId}`);
  await page.getByTestId('run-next-export').click();
  await expect(page.getByTestId('export-screen')).toBeVisible();
  await expect(page.getByTestId('export-run-select')).toHaveValue(runId);
  await page.getByTestId('export-format-select').selectOption('onnx');
  await page.getByTestId('export-create-button').click();
  const row = page.getByTestId('export-row');
  await expect(row).toHaveAttribute('data-status', /completed|failed/, { timeout: 60_000 });
  await expect(row.getByTestId('export-model')).toContainText('tiny cnn');
  await expect(row.getByTestId('export-model')).toContainText('first try');
  await expect(row.getByTestId('export-score')).toHaveText(/^validation accuracy \d+(\.\d)? %$/);
  await screenshot(page, 'first-use-06-exports-named');

  await page.getByTestId('nav-runs').click();
  await expect(page.getByTestId('run-row-name')).toHaveText('first try');
  await expect(page.getByTestId('run-row-best')).toContainText('epoch');
  expect(app.errors).toEqual([]);
});
