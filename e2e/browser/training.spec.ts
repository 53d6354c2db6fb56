import type { Locator, Page } from '@playwright/test';
import { screenshot, test, expect } from '../helpers/fixtures.js';
import { TOTAL_IMAGES, writeImageFolder } from '../helpers/images.js';
import { createProject, waitForImport } from '../helpers/ui.js';

/**
 * Small enough for CI's two cores, long enough that Stop lands while it trains: at 16×16 these
 * 48 training images take ~25 ms an epoch on wasm, so the run would end before the click. 64×64
 * in batches of 4 takes 0.25–0.5 s an epoch here; 60 of them leave a window of many seconds for
 * the click even when a loaded machine's UI lags the trainer (30 once ended before the click).
 */
const EPOCHS = 60;
const INPUT_SIZE = '64';
const BATCH_SIZE = '4';
/** Training, then stop and resume: allow for slow machines (the engine warms up once). */
const TRAINING_TIMEOUT = 240_000;

/**
 * Screenshot without toasts. They are closed one at a time here because the list shifts as each
 * goes: closing them by position (as the shared helper does) can wait on one that has moved.
 */
async function shot(page: Page, name: string): Promise<void> {
  const close = page.locator('.toast-close');
  for (let i = 0; i < 10 && (await close.count()) > 0; i += 1) {
    await close
      .first()
      .click({ timeout: 2000 })
      .catch(() => undefined);
  }
  await screenshot(page, name);
}

/** Points drawn on a live curve chart: one per finished epoch. */
async function plottedPoints(chart: Locator): Promise<number> {
  return Number(await chart.locator('.live-curve').getAttribute('data-points'));
}

async function epochsDone(page: Page): Promise<number> {
  return Number(await page.getByTestId('run-progress').getAttribute('data-epochs-done'));
}

/**
 * Waits until the open run has finished `epochs` epochs, or has failed: a failed run ends the
 * wait at once and the test reports the run's own message instead of timing out.
 */
async function waitForEpochs(page: Page, epochs: number): Promise<void> {
  const state = async (): Promise<string> => {
    if ((await page.getByTestId('run-view').getAttribute('data-status')) === 'failed') {
      return `failed: ${await page.getByTestId('run-message').textContent()}`;
    }
    return (await epochsDone(page)) >= epochs ? 'ready' : 'waiting';
  };
  // Polled often: the run is short, and Stop must land while it still trains.
  await expect
    .poll(state, { timeout: TRAINING_TIMEOUT, intervals: [100], message: `${epochs} epochs done` })
    .not.toBe('waiting');
  expect(await state()).toBe('ready');
}

/**
 * Issue 3's path through the UI: an image project with three classes, a split, an experiment
 * configured in the editor (small input, a couple of dozen quick epochs), a run whose curves grow live, stopped
 * and resumed from its checkpoint, finishing with every epoch exactly once.
 */
test('configure an experiment, train live, stop, resume and finish', async ({ app, scratch }) => {
  test.setTimeout(TRAINING_TIMEOUT + 120_000);
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/patches`);

  await createProject(page, 'Colour patches');
  await page.getByTestId('import-path-input').fill(folder);
  await page.getByTestId('import-path-button').click();
  expect(await waitForImport(page)).toContain(`Imported ${TOTAL_IMAGES} items`);

  // Experiments need a split: the screen says so before there is one.
  await page.getByTestId('nav-experiments').click();
  await expect(page.getByTestId('experiments-no-split')).toBeVisible();
  await expect(page.getByTestId('experiments-empty')).toBeVisible();
  await page.getByTestId('nav-splits').click();
  await page.getByTestId('split-name-input').fill('baseline');
  await page.getByTestId('create-split-button').click();
  await expect(page.getByTestId('split-row')).toHaveCount(1);

  // Create: the server resolves the task's defaults and the editor shows them.
  await page.getByTestId('nav-experiments').click();
  await page.getByTestId('new-experiment-name').fill('tiny cnn');
  // The image default is MobileNetV2 transfer (its own spec); this path trains a CNN from scratch.
  await expect(page.getByTestId('new-experiment-architecture')).toHaveValue(
    'mobilenet-v2-transfer',
  );
  await page.getByTestId('new-experiment-architecture').selectOption('small-cnn');
  await page.getByTestId('create-experiment-button').click();
  await expect(page.getByTestId('experiment-title')).toHaveText('tiny cnn');
  const editor = page.getByTestId('experiment-editor');
  await expect(page.getByTestId('exp-field-input-width')).toHaveValue('32');
  await expect(page.getByTestId('exp-field-optimizer-name')).toHaveValue('adam');
  // Only the backends that really work here can be picked.
  const backend = page.getByTestId('exp-field-backend');
  await expect(backend.locator('option[value="auto"]')).toBeEnabled();
  expect(await backend.locator('option:not([disabled])').count()).toBeGreaterThanOrEqual(2);

  // A bad value is refused beside its field, before anything is sent.
  await page.getByTestId('exp-field-epochs').fill('-3');
  await expect(page.getByTestId('editor-invalid')).toBeVisible();
  await expect(page.getByTestId('editor-save')).toBeDisabled();

  // A combination only the server can judge is refused with its reason, and nothing changes.
  await page.getByTestId('exp-field-epochs').fill('20');
  await page.getByTestId('exp-field-lr_schedule-warmup_epochs').fill('25');
  await page.getByTestId('editor-save').click();
  await expect(page.getByTestId('editor-error')).toContainText('warmup_epochs');
  await page.getByTestId('editor-revert').click();
  await expect(page.getByTestId('editor-error')).toHaveCount(0);
  await expect(page.getByTestId('exp-field-lr_schedule-warmup_epochs')).toHaveValue('0');

  await page.getByTestId('exp-field-input-width').fill(INPUT_SIZE);
  await page.getByTestId('exp-field-input-height').fill(INPUT_SIZE);
  await page.getByTestId('exp-field-epochs').fill(String(EPOCHS));
  await page.getByTestId('exp-field-batch_size').fill(BATCH_SIZE);
  // Early stopping off: the run must reach its last epoch for the checks below.
  await page.getByTestId('exp-field-early_stopping-enabled').uncheck();
  await expect(editor).toHaveAttribute('data-dirty', 'true');
  await page.getByTestId('editor-save').click();
  await expect(editor).toHaveAttribute('data-dirty', 'false');
  await expect(page.getByTestId('exp-field-epochs')).toHaveValue(String(EPOCHS));
  await expect(page.getByTestId('resolved-config')).toContainText(`"width": ${INPUT_SIZE}`);
  await expect(page.getByTestId('experiment-item')).toContainText(`${EPOCHS} epochs`);
  await shot(page, '10-experiment-editor');

  // Start: the run view opens and its curve grows from the first finished epoch.
  await page.getByTestId('start-run-button').click();
  const view = page.getByTestId('run-view');
  await expect(view).toBeVisible();
  const status = page.getByTestId('run-status');
  const lossChart = page.getByTestId('run-chart-loss');
  await waitForEpochs(page, 1);

  // Stop at once (the whole run takes seconds): the trainer finishes its batch, checkpoints,
  // and the run says stopped, its curve and last checkpoint at the epoch it reached.
  await page.getByTestId('run-stop').click();
  await expect(status).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
  await expect(page.getByTestId('run-resume')).toBeEnabled();
  await expect(page.getByTestId('run-stop')).toBeDisabled();
  const stoppedAt = await epochsDone(page);
  expect(stoppedAt).toBeGreaterThanOrEqual(1);
  expect(stoppedAt).toBeLessThan(EPOCHS);
  await expect.poll(() => plottedPoints(lossChart)).toBe(stoppedAt);
  await expect(page.getByTestId('checkpoint-last-epoch')).toHaveText(`epoch ${stoppedAt}`);
  await expect(page.getByTestId('run-message')).toContainText('stopped');
  await shot(page, '11-run-stopped');

  // Resume from the last checkpoint: the curves keep growing live, then the run finishes.
  await page.getByTestId('run-resume').click();
  await waitForEpochs(page, stoppedAt + 2);
  await expect.poll(() => plottedPoints(lossChart)).toBeGreaterThanOrEqual(stoppedAt + 2);
  await expect(page.getByTestId('run-chart-metric')).not.toHaveAttribute('data-epochs', '0');
  await expect(page.getByTestId('run-epoch')).toContainText(`/ ${EPOCHS}`);
  await shot(page, '12-run-live');
  await waitForEpochs(page, EPOCHS);
  await expect(status).toHaveAttribute('data-status', 'completed');
  expect(await epochsDone(page)).toBe(EPOCHS);
  // Every epoch exactly once: none lost at the stop, none repeated by the resume.
  await expect(page.getByTestId('epoch-row')).toHaveCount(EPOCHS);
  await expect.poll(() => plottedPoints(lossChart)).toBe(EPOCHS);
  await expect(page.getByTestId('checkpoint-last-epoch')).toHaveText(`epoch ${EPOCHS}`);
  await expect(page.getByTestId('checkpoint-best')).toContainText('epoch');
  await expect(page.getByTestId('run-resume')).toBeDisabled();
  await shot(page, '13-run-completed');

  // The lists agree.
  await page.getByTestId('nav-runs').click();
  const row = page.getByTestId('run-row');
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute('data-status', 'completed');
  await expect(row.getByTestId('run-row-epochs')).toHaveText(`${EPOCHS} / ${EPOCHS}`);
  await shot(page, '14-runs');
  await page.getByTestId('nav-experiments').click();
  await page.getByTestId('experiment-item').click();
  const experimentRuns = page.getByTestId('experiment-runs');
  await expect(experimentRuns.getByTestId('run-row')).toHaveCount(1);
  await experimentRuns.scrollIntoViewIfNeeded();
  await shot(page, '15-experiments');

  // The one refusal above is the only HTTP error the page saw.
  expect(app.errors).toEqual([expect.stringMatching(/^http 400 PATCH \/api\/training\//)]);
});
