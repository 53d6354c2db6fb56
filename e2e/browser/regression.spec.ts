import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
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

// A smaller table, so the second training is quick.
const SMALL = String.raw`
import pickle, sys, numpy as np
rng = np.random.default_rng(5)
X = rng.random((120, 3))
y = 3*X[:,0] - 2*X[:,1] + X[:,2] + rng.normal(0, 0.05, 120)
meta = {'feature_names': ['a','b','c'], 'target_name': 't'}
pickle.dump({'X': X, 'y': y, 'metadata': meta}, open(sys.argv[1], 'wb'), protocol=4)
`;

test('regression: refusals say why, a trained model is replaced only when confirmed, log scale and y = x', async ({
  app,
  scratch,
}) => {
  const { page } = app;
  const pkl = path.join(scratch, 'small.pkl');
  execFileSync('python3', ['-c', SMALL, pkl]);
  const junk = path.join(scratch, 'junk.bin');
  await writeFile(junk, Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)));

  await page.getByTestId('nav-regression').click();
  await page.getByTestId('regression-file-input').setInputFiles(junk);
  const refusal = page.getByTestId('regression-error');
  for (const format of ['pickle', 'CSV', '.npy', '.npz'])
    await expect(refusal).toContainText(format);
  await expect(page.getByTestId('regression-no-dataset')).toBeVisible();
  await screenshot(page, '23-regression-upload-refused');

  await page.getByTestId('regression-file-input').setInputFiles(pkl);
  await expect(page.getByTestId('regression-num-points')).toHaveText('120');
  await expect(refusal).toHaveCount(0);
  await page.getByTestId('regression-epochs').fill('5');
  await page.getByTestId('regression-lr').fill('0.01');
  await page.getByTestId('regression-hidden').fill('8');
  await page.getByTestId('regression-train').click();
  await expect(page.getByTestId('regression-trained')).toBeAttached({ timeout: 90_000 });
  await expect(page.getByTestId('regression-result')).toContainText('5 epochs');

  // The learning curve on a log axis and back.
  const curve = page.getByTestId('regression-learning-curve');
  const yType = () =>
    curve.evaluate(
      (el) =>
        (el as unknown as { _fullLayout: { yaxis: { type: string } } })._fullLayout.yaxis.type,
    );
  await expect(curve).toHaveAttribute('data-plot-ready', 'true');
  expect(await yType()).toBe('linear');
  await page.getByTestId('regression-log-scale').check();
  await expect.poll(yType).toBe('log');
  await expect(curve).toHaveAttribute('data-plot-ready', 'true');
  await curve.scrollIntoViewIfNeeded();
  await screenshot(page, '24-regression-log-scale');
  await page.getByTestId('regression-log-scale').uncheck();
  await expect.poll(yType).toBe('linear');

  // The y = x line is drawn: a solid stroke across the plot, over the points.
  const traces = page.getByTestId('regression-predictions').locator('.scatterlayer .trace');
  await expect(traces).toHaveCount(2);
  const line = traces.nth(1).locator('path.js-line');
  await expect(line).toHaveAttribute('d', /^M.+L/);
  const box = await line.boundingBox();
  expect(box?.width ?? 0).toBeGreaterThan(100);
  await expect(line).toHaveAttribute('style', /stroke-width: 2px/);

  // A bad predict input says which field and why, and drops the prediction made before it.
  await page.getByTestId('regression-predict').click();
  await expect(page.getByTestId('regression-prediction')).toBeVisible();
  await page.getByTestId('regression-input-1').fill('abc');
  await expect(page.getByTestId('regression-prediction')).toHaveCount(0);
  await expect(page.getByTestId('regression-input-error')).toHaveText(
    'b: "abc" is not a finite number.',
  );
  await expect(page.getByTestId('regression-predict')).toBeDisabled();
  await page.getByTestId('regression-input-1').fill('');
  await expect(page.getByTestId('regression-input-error')).toHaveText(
    'b is empty: enter a number.',
  );
  await screenshot(page, '25-regression-predict-invalid');
  await page.getByTestId('regression-input-1').fill('0.2');
  await expect(page.getByTestId('regression-input-error')).toHaveCount(0);

  // Training again asks first; Cancel keeps the model, confirming replaces it.
  await page.getByTestId('regression-epochs').fill('7');
  await page.getByTestId('regression-train').click();
  const dialog = page.getByTestId('confirm-dialog');
  await expect(dialog).toContainText('Replace the trained model?');
  await screenshot(page, '26-regression-replace-confirm');
  await page.getByTestId('confirm-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('regression-training')).toHaveCount(0);
  await expect(page.getByTestId('regression-result')).toContainText('5 epochs');
  // A new upload would also drop the model: it asks too.
  await page.getByTestId('regression-file-input').setInputFiles(pkl);
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId('regression-result')).toContainText('5 epochs');

  await page.getByTestId('regression-train').click();
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('regression-result')).toContainText('7 epochs', {
    timeout: 90_000,
  });
  // The one refusal is the junk upload's, answered 400 as documented.
  expect(app.errors).toEqual(['http 400 POST /upload']);
});
