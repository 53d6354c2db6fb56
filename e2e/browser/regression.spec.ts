import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { expect, screenshot, test } from '../helpers/fixtures.js';

// The pickle a lab script already has: Friedman #1 written by real Python + numpy.
const GEN = String.raw`
import pickle, sys, numpy as np
rng = np.random.default_rng(3)
X = rng.random((600, 5))
y = 10*np.sin(np.pi*X[:,0]*X[:,1]) + 20*(X[:,2]-0.5)**2 + 10*X[:,3] + 5*X[:,4]
y = y + rng.normal(0, 0.1*y.std(), 600)
meta = {'feature_names': ['x1','x2','x3','x4','x5'], 'target_name': 'y'}
pickle.dump({'X': X, 'y': y, 'metadata': meta}, open(sys.argv[1], 'wb'), protocol=4)
`;

test('regression: upload a pickle, train, see both plots, predict a value', async ({
  app,
  scratch,
}) => {
  const { page } = app;
  const pkl = path.join(scratch, 'data.pkl');
  execFileSync('python3', ['-c', GEN, pkl]);

  await page.getByTestId('nav-regression').click();
  await expect(page.getByTestId('regression-screen')).toBeVisible();
  await expect(page.getByTestId('regression-no-dataset')).toBeVisible();

  await page.getByTestId('regression-file-input').setInputFiles(pkl);
  await expect(page.getByTestId('regression-num-points')).toHaveText('600');
  await expect(page.getByTestId('regression-num-features')).toContainText('5 (x1, x2, x3, x4, x5)');
  await expect(page.getByTestId('regression-sizes')).toHaveText(
    '420 train / 90 validation / 90 test',
  );

  await page.getByTestId('regression-epochs').fill('20');
  await page.getByTestId('regression-lr').fill('0.01');
  await page.getByTestId('regression-hidden').fill('32, 16');
  await page.getByTestId('regression-train').click();
  await expect(page.getByTestId('regression-training')).toBeVisible();
  await expect(page.getByTestId('regression-trained')).toBeAttached({ timeout: 90_000 });

  const r2 = Number(await page.getByTestId('regression-r2').textContent());
  expect(r2).toBeGreaterThan(0.5);
  for (const id of ['regression-learning-curve', 'regression-predictions']) {
    await expect(page.getByTestId(id)).toHaveAttribute('data-plot-ready', 'true');
    await expect(page.getByTestId(id).locator('.scatterlayer .trace').first()).toBeAttached();
  }
  await screenshot(page, '20-regression-trained');

  await page.getByTestId('regression-input-0').fill('0.9');
  await page.getByTestId('regression-predict').click();
  const value = Number(await page.getByTestId('regression-prediction').textContent());
  expect(Number.isFinite(value)).toBe(true);
  expect(value).toBeGreaterThan(0);
  expect(value).toBeLessThan(35);
  await screenshot(page, '21-regression-predicted');

  // The same run on the Evaluation screen: its test part scored, with predicted-vs-actual and
  // residual plots drawn from every item.
  const projects = (await (await page.request.get(`${app.url}/api/projects`)).json()) as {
    data: { id: string; task: string }[];
  };
  const pid = projects.data.find((p) => p.task === 'regression')?.id;
  expect(pid).toBeDefined();
  await page.goto(`${app.url}/#/projects/${pid}/evaluation`);
  await expect(page.getByTestId('evaluation-screen')).toBeVisible();
  await page.getByTestId('eval-subset-select').selectOption('test');
  await page.getByTestId('eval-start-button').click();
  const view = page.getByTestId('eval-view');
  await expect(view).toHaveAttribute('data-status', /completed|failed/, { timeout: 60_000 });
  expect(await view.getAttribute('data-status'), (await view.textContent()) ?? '').toBe(
    'completed',
  );
  await expect(page.getByTestId('eval-regression')).toContainText('R²');
  const scatter = page.getByTestId('eval-regression-scatter');
  await expect(scatter).toHaveAttribute('data-plot-ready', 'true');
  await expect(scatter.locator('.scatterlayer .trace').first().locator('.point')).toHaveCount(90);
  const residuals = page.getByTestId('eval-regression-residuals');
  await expect(residuals).toHaveAttribute('data-plot-ready', 'true');
  await expect(residuals.locator('.barlayer .point').first()).toBeAttached();
  await screenshot(page, '22-regression-evaluation');
  expect(app.errors).toEqual([]);
});
