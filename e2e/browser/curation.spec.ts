import type { Page } from '@playwright/test';
import { api } from '../helpers/api.js';
import { screenshot, test, expect } from '../helpers/fixtures.js';
import { TOTAL_IMAGES, writeImageFolder } from '../helpers/images.js';
import { createProject, waitForImport } from '../helpers/ui.js';

test.use({ viewport: { width: 1440, height: 900 } });

const tile = (page: Page, i: number) => page.getByTestId('item-tile').nth(i);

/**
 * Issue 13 items 3 and 8: items curated in the grid and the detail panel. Keyboard through the
 * detail (arrows, Escape); pick several with ctrl and shift; set their class, undo; take a class
 * away and give one back; delete and undo. Tile captions readable at 1440 px: the name whole, the
 * class on a line of its own.
 */
test('curation: relabel, delete and undo items, with the keyboard', async ({ app, scratch }) => {
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/patches`);
  await createProject(page, 'Curated');
  await page.getByTestId('import-path-input').fill(folder);
  await page.getByTestId('import-path-button').click();
  expect(await waitForImport(page)).toContain(`Imported ${TOTAL_IMAGES} items`);
  const grid = page.getByTestId('item-grid');
  await expect(grid).toHaveAttribute('data-total', String(TOTAL_IMAGES));

  // Captions: the file name is not cut, and the class sits below it.
  const name = tile(page, 0).getByTestId('tile-name');
  const cls = tile(page, 0).getByTestId('tile-class');
  expect(await name.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
  const [nameBox, classBox] = [await name.boundingBox(), await cls.boundingBox()];
  expect(classBox!.y).toBeGreaterThanOrEqual(nameBox!.y + nameBox!.height - 1);
  await screenshot(page, 'first-use-07-tiles-1440');

  // Keyboard in the detail panel.
  await tile(page, 0).click();
  const filename = page.getByTestId('detail-filename');
  await expect(filename).toHaveText('blue/img-000.png');
  await page.keyboard.press('ArrowRight');
  await expect(filename).toHaveText('blue/img-001.png');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(filename).toHaveText('blue/img-000.png');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('item-detail')).toHaveCount(0);

  // Pick four: a click, a ctrl-click, a shift-click range.
  await tile(page, 0).click();
  await page.keyboard.press('Escape');
  await tile(page, 1).click({ modifiers: ['Control'] });
  await tile(page, 3).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('curate-count')).toHaveText('4 items picked');
  await page.getByTestId('curate-class-input').fill('purple');
  await page.getByTestId('curate-apply').click();
  await expect(tile(page, 2).getByTestId('tile-class')).toHaveText('purple');
  const info = () =>
    api<{ classes: string[]; unlabeled: number; total_items: number }>(
      page.request,
      'GET',
      `${app.url}/api/datasets/${page.url().match(/proj-[0-9a-f]{8}/)![0]}`,
    );
  expect((await info()).classes).toContain('purple');
  await screenshot(page, 'first-use-08-relabelled');
  await page.getByTestId('curate-undo').click();
  await expect(tile(page, 2).getByTestId('tile-class')).toHaveText('blue');
  expect((await info()).classes).not.toContain('purple');

  // Take a class away, then give the item one in its detail panel.
  await page.getByTestId('curate-unlabel').click();
  await expect.poll(async () => (await info()).unlabeled).toBe(4);
  await tile(page, 0).click();
  await page.getByTestId('detail-class-input').fill('green');
  await page.getByTestId('detail-class-save').click();
  await expect.poll(async () => (await info()).unlabeled).toBe(3);
  await page.keyboard.press('Escape');

  // Delete two, then undo: the grid has them back.
  await tile(page, 1).click();
  await page.keyboard.press('Escape');
  await tile(page, 2).click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('curate-count')).toHaveText('2 items picked');
  await page.getByTestId('curate-delete').click();
  await expect(grid).toHaveAttribute('data-total', String(TOTAL_IMAGES - 2));
  await page.getByTestId('curate-undo').click();
  await expect(grid).toHaveAttribute('data-total', String(TOTAL_IMAGES));
  await screenshot(page, 'first-use-09-undo-delete');
  expect(app.errors).toEqual([]);
});
