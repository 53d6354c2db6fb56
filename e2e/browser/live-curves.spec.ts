import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setupExperiment } from '../helpers/api.js';
import { screenshot, test, expect } from '../helpers/fixtures.js';
import { writeImageFolder } from '../helpers/images.js';
import { REPO_ROOT } from '../helpers/server.js';

const EPOCHS = 40;
const TIMEOUT = 240_000;

/** What the page saw from the Start click on, timed in the page itself. */
interface FirstPoint {
  readonly startToFirstPointMs: number | null;
  readonly startToFirstProgressMs: number | null;
  readonly statusAtFirstPoint: string | null;
  readonly epochsDoneAtFirstPoint: number | null;
}

// Installed before the click: notes the click's time, the first change of the progress card and
// the first point on the loss curve, with the run's status at that moment.
const RECORDER = `(() => {
  const rec = { t0: null, firstProgress: null, firstPoint: null, status: null, epochs: null };
  window.__firstPoint = rec;
  document.addEventListener('click', (e) => {
    if (e.target instanceof Element && e.target.closest('[data-testid="start-run-button"]'))
      rec.t0 = performance.now();
  }, true);
  new MutationObserver(() => {
    if (rec.t0 === null) return;
    const phase = document.querySelector('[data-testid="run-phase"]');
    if (rec.firstProgress === null && phase !== null && phase.textContent !== 'Waiting to start')
      rec.firstProgress = performance.now();
    const plot = document.querySelector('[data-testid="run-chart-loss-plot"]');
    if (rec.firstPoint === null && plot !== null && Number(plot.getAttribute('data-points')) > 0) {
      rec.firstPoint = performance.now();
      rec.status = document.querySelector('[data-testid="run-view"]')?.getAttribute('data-status') ?? null;
      rec.epochs = Number(document.querySelector('[data-testid="run-progress"]')?.getAttribute('data-epochs-done'));
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
})()`;

// In a tab opened on a run: the time from the page's start to the first point, and the status then.
const FRESH_TAB_RECORDER = `
  document.addEventListener('DOMContentLoaded', () => {
    const seen = new MutationObserver(() => {
      const plot = document.querySelector('[data-testid="run-chart-loss-plot"]');
      if (plot === null || Number(plot.getAttribute('data-points')) === 0) return;
      const view = document.querySelector('[data-testid="run-view"]');
      window.__freshTab = { ms: Math.round(performance.now()), status: view && view.getAttribute('data-status') };
      seen.disconnect();
    });
    seen.observe(document.body, { subtree: true, childList: true, attributes: true });
  });
`;

/**
 * Issue 13 item 1: in a freshly loaded tab, the first epoch's point is
 * on the curve while the run still trains, not all at once when it ends. The start → first point
 * time is written to e2e/artifacts/, not asserted.
 */
test('live curves: the first epoch is drawn while the run trains', async ({ app, scratch }) => {
  test.setTimeout(TIMEOUT * 2);
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/patches`);
  const { pid, expId } = await setupExperiment(page.request, app.url, {
    projectName: 'Live curves',
    folder,
    experiment: {
      name: 'tiny cnn',
      config: {
        architecture: 'small-cnn',
        input: { width: 48, height: 48, channels: 3 },
        epochs: EPOCHS,
        batch_size: 4,
        seed: 3,
        early_stopping: { enabled: false },
      },
    },
    timeout: TIMEOUT,
  });

  await page.goto(`${app.url}/#/projects/${pid}/experiments/${expId}`);
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await page.evaluate(RECORDER);
  await page.getByTestId('start-run-button').click();
  const plot = page.getByTestId('run-chart-loss-plot');
  await expect(plot).not.toHaveAttribute('data-points', '0', { timeout: TIMEOUT });
  const seen = await page.evaluate<FirstPoint>(`(() => {
    const r = window.__firstPoint;
    return {
      startToFirstPointMs: r.firstPoint === null ? null : Math.round(r.firstPoint - r.t0),
      startToFirstProgressMs: r.firstProgress === null ? null : Math.round(r.firstProgress - r.t0),
      statusAtFirstPoint: r.status,
      epochsDoneAtFirstPoint: r.epochs,
    };
  })()`);
  // A second, fresh tab opened on the run while it trains: page start → first point drawn.
  const second = await page.context().newPage();
  await second.addInitScript({ content: FRESH_TAB_RECORDER });
  await second.goto(page.url());
  await expect(second.getByTestId('run-chart-loss-plot')).not.toHaveAttribute('data-points', '0', {
    timeout: TIMEOUT,
  });
  const secondTab = await second.evaluate<{ ms: number; status: string | null }>(
    'window.__freshTab',
  );
  await second.close();
  const out = path.join(REPO_ROOT, 'e2e/artifacts');
  await mkdir(out, { recursive: true });
  await writeFile(
    path.join(out, 'first-curve-point.json'),
    `${JSON.stringify(
      {
        epochs: EPOCHS,
        ...seen,
        freshTabLoadToFirstPointMs: secondTab.ms,
        statusWhenFreshTabDrew: secondTab.status,
      },
      null,
      2,
    )}\n`,
  );
  // The point came while training went on, and the progress card had moved before it.
  expect(seen.statusAtFirstPoint).toBe('running');
  expect(seen.epochsDoneAtFirstPoint).toBeLessThan(EPOCHS);
  expect(seen.startToFirstProgressMs).not.toBeNull();
  await expect(page.getByTestId('run-epoch')).not.toHaveText(`0 / ${EPOCHS}`);
  await expect(page.getByTestId('run-batch')).toHaveText(/^\d+ \/ \d+$|^—$/);
  // Item 8: one meaning per label.
  await expect(page.getByTestId('run-progress').locator('.run-stat-label')).toHaveText([
    'Epoch',
    'Step in this epoch',
    'Time left (whole run)',
    'Speed',
  ]);
  await screenshot(page, 'first-use-01-live-curve');

  // Every epoch lands on the curve once, live, to the end of the run.
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-status', 'completed', {
    timeout: TIMEOUT,
  });
  await expect(plot).toHaveAttribute('data-points', String(EPOCHS));
  await expect(page.getByTestId('run-chart-metric-plot')).toHaveAttribute(
    'data-points',
    String(EPOCHS),
  );
  await screenshot(page, 'first-use-02-run-completed');
});
