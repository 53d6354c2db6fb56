import {
  expectThumbnailsRendered,
  naturalWidth,
  screenshot,
  test,
  expect,
} from '../helpers/fixtures.js';
import {
  CLASSES,
  TOTAL_IMAGES,
  expectedSplit,
  writeImageFolder,
  type ClassName,
} from '../helpers/images.js';
import { createProject, waitForImport } from '../helpers/ui.js';

/**
 * The foundation's whole path through the UI: a project, a folder of images in three classes
 * imported by its local path, thumbnails on screen, and a stratified 80-10-10 split whose
 * statistics are checked class by class.
 */
test('create a project, import a local folder, browse it, make a stratified 80/10/10 split', async ({
  app,
  scratch,
}) => {
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/animals`);

  await expect(page.getByTestId('projects-empty')).toBeVisible();
  await screenshot(page, '01-projects-empty');

  await createProject(page, 'Colour patches');
  await expect(page.getByTestId('dataset-empty')).toContainText('No images yet');
  await screenshot(page, '02-dataset-empty');

  // Import by path: the server reads the folder in place.
  await page.getByTestId('import-path-input').fill(folder);
  await page.getByTestId('import-path-button').click();
  expect(await waitForImport(page)).toContain(`Imported ${TOTAL_IMAGES} items`);
  await expect(page.getByTestId('dataset-total')).toHaveText(String(TOTAL_IMAGES));
  await expect(page.getByTestId('dataset-class-count')).toHaveText('3');

  // Thumbnails render with real pixels.
  await expect(page.getByTestId('item-tile').first()).toBeVisible();
  await expectThumbnailsRendered(page, 12);
  await screenshot(page, '03-dataset-grid');

  // Filter by class: only that class's items remain.
  await page.getByTestId('dataset-class-filter').selectOption('green');
  await expect(page.getByTestId('dataset-matching')).toHaveText(`${CLASSES.green} matches`);
  await expect
    .poll(() =>
      page
        .getByTestId('item-tile')
        .evaluateAll((t) => t.map((e) => e.getAttribute('data-filename'))),
    )
    .toEqual(
      Array.from(
        { length: CLASSES.green },
        (_, i) => `green/img-${String(i).padStart(3, '0')}.png`,
      ),
    );

  // Search narrows further; the detail panel shows the original image and its metadata.
  await page.getByTestId('dataset-search').fill('img-007');
  await expect(page.getByTestId('item-tile')).toHaveCount(1);
  await page.getByTestId('item-tile').click();
  const detail = page.getByTestId('item-detail');
  await expect(page.getByTestId('detail-filename')).toHaveText('green/img-007.png');
  await expect(detail).toContainText('96 × 72 px');
  await expect(detail).toContainText('Not in any split yet');
  await expect.poll(() => naturalWidth(page, 'detail-image')).toBe(96);
  await screenshot(page, '04-dataset-detail');
  await page.getByTestId('dataset-search').fill('');
  await page.getByTestId('dataset-class-filter').selectOption('');
  await expect(page.getByTestId('dataset-matching')).toHaveCount(0);

  // Splits: the defaults are 80/10/10, stratified; the preview already shows the numbers.
  await page.getByTestId('nav-splits').click();
  await expect(page.getByTestId('ratio-train-value')).toHaveText('80%');
  await expect(page.getByTestId('ratio-val-value')).toHaveText('10%');
  await expect(page.getByTestId('ratio-test-value')).toHaveText('10%');
  await expect(page.getByTestId('split-stratify')).toBeChecked();
  // The sliders stay consistent: pushing train up takes the excess from the other two.
  await page.getByTestId('ratio-train').fill('90');
  await expect(page.getByTestId('ratio-val-value')).toHaveText('5%');
  await expect(page.getByTestId('ratio-test-value')).toHaveText('5%');
  await page.getByTestId('ratio-train').fill('80');
  await expect(page.getByTestId('ratio-unassigned')).toContainText('10% of each class is left out');
  await page.getByTestId('ratio-val').fill('10');
  await page.getByTestId('ratio-test').fill('10');
  await expect(page.getByTestId('ratio-unassigned')).toHaveText('Every item goes to a subset.');
  const want = expectedSplit({ train: 0.8, val: 0.1, test: 0.1 });
  const sum = (k: 'train' | 'val' | 'test') => Object.values(want).reduce((a, c) => a + c[k], 0);
  await expect(page.getByTestId('split-preview-train')).toHaveText(String(sum('train')));
  // Every class here has under 20 validation/test items: the preview says the figures will swing.
  const previewWarning = page.getByTestId('split-preview-small-data');
  await expect(previewWarning).toContainText('3 classes have fewer than 20 validation/test items');
  for (const cls of Object.keys(CLASSES) as ClassName[]) {
    await expect(previewWarning).toContainText(`${cls} (${want[cls].val}/${want[cls].test})`);
  }
  // The smallest part is red's single validation item: a 50% measured on one item spans 5%–95%.
  await expect(previewWarning).toContainText(
    'an accuracy measured on 1 item can be off by up to ±45 points (95% Wilson interval)',
  );
  await expect(page.getByTestId('splits-empty')).toBeVisible();

  await page.getByTestId('split-name-input').fill('baseline');
  await page.getByTestId('split-seed-input').fill('1234');
  await page.getByTestId('create-split-button').click();

  const splitDetail = page.getByTestId('split-detail');
  await expect(splitDetail).toBeVisible();
  await expect(splitDetail).toContainText('baseline');
  await expect(page.getByTestId('split-detail-dist-small-data')).toContainText(
    'Their figures will swing from split to split',
  );
  await expect(page.getByTestId('split-detail-dist-train')).toHaveText(String(sum('train')));
  await expect(page.getByTestId('split-detail-dist-val')).toHaveText(String(sum('val')));
  await expect(page.getByTestId('split-detail-dist-test')).toHaveText(String(sum('test')));
  for (const cls of Object.keys(CLASSES) as ClassName[]) {
    const row = splitDetail.locator(`[data-testid="class-row"][data-class="${cls}"]`);
    for (const subset of ['train', 'val', 'test'] as const) {
      await expect(row.locator(`[data-subset="${subset}"]`), `${cls} ${subset}`).toHaveText(
        String(want[cls][subset]),
      );
    }
    await expect(row.locator('[data-subset="total"]')).toHaveText(String(CLASSES[cls]));
  }
  // The chart is drawn: one stacked trace per subset, one bar per class.
  const chart = page.getByTestId('split-detail-dist-chart');
  await expect(chart).toHaveAttribute('data-plot-ready', 'true');
  await expect(chart.locator('g.barlayer g.trace')).toHaveCount(3);
  await expect(chart.locator('g.barlayer g.trace').first().locator('g.point')).toHaveCount(3);

  const row = page.getByTestId('split-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('80/10/10');
  await expect(row).toContainText('1234');
  await screenshot(page, '05-splits');
  await splitDetail.scrollIntoViewIfNeeded();
  await screenshot(page, '05b-split-detail');

  // The item now knows its split membership.
  await page.getByTestId('nav-dataset').click();
  await page.getByTestId('item-tile').first().click();
  await expect(page.getByTestId('detail-splits')).toContainText('baseline');

  // Projects list counts reflect all of it.
  await page.getByTestId('nav-projects').click();
  const projectRow = page.getByTestId('project-row');
  await expect(projectRow.getByTestId('project-item-count')).toHaveText(String(TOTAL_IMAGES));
  await expect(projectRow.getByTestId('project-class-count')).toHaveText('3');
  await expect(projectRow.getByTestId('project-split-count')).toHaveText('1');
  await screenshot(page, '06-projects');

  expect(app.errors).toEqual([]);
});
