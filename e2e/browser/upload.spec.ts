import { readFile, writeFile } from 'node:fs/promises';
import { expectThumbnailsRendered, screenshot, test, expect } from '../helpers/fixtures.js';
import { CLASSES, TOTAL_IMAGES, writeImageFolder } from '../helpers/images.js';
import { createProject, waitForImport } from '../helpers/ui.js';

test('upload a folder through "Choose folder…": relative paths keep the classes, bad files are listed', async ({
  app,
  scratch,
}) => {
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/upload-me`);
  // Judged by bytes, not by name: a text file posing as an image is reported, the rest imported.
  await writeFile(`${folder}/red/not-really.png`, 'this is plain text, not a PNG\n');

  await createProject(page, 'Uploaded');
  // The folder picker's root ("upload-me") is the import root: items are named red/…, green/…
  await page.getByTestId('folder-input').setInputFiles(folder);
  const summary = await waitForImport(page);
  expect(summary).toContain(`Imported ${TOTAL_IMAGES} items`);
  expect(summary).toContain('1 failed');
  await expect(page.getByTestId('import-error-row')).toHaveCount(1);
  await expect(page.getByTestId('import-error-row')).toContainText('red/not-really.png');
  await screenshot(page, '07-dataset-upload-errors');

  await expect(page.getByTestId('dataset-total')).toHaveText(String(TOTAL_IMAGES));
  await expect(page.getByTestId('dataset-class-count')).toHaveText('3');
  await expectThumbnailsRendered(page, 12);
  const first = await page.getByTestId('item-tile').first().getAttribute('data-filename');
  expect(first).toMatch(/^(red|green|blue)\/img-\d{3}\.png$/);

  // The same files again: every one is a duplicate by content hash, nothing new is stored.
  await page.getByTestId('import-dismiss').click();
  await page.getByTestId('folder-input').setInputFiles(`${folder}/blue`);
  expect(await waitForImport(page)).toContain(`${CLASSES.blue} duplicates skipped`);
  await expect(page.getByTestId('dataset-total')).toHaveText(String(TOTAL_IMAGES));
  expect(app.errors).toEqual([]);
});

test('a folder path that does not exist gets a clear error and changes nothing', async ({
  app,
  scratch,
}) => {
  const { page } = app;
  await createProject(page, 'Nothing here');
  await page.getByTestId('import-path-input').fill(`${scratch}/no-such-folder`);
  await page.getByTestId('import-path-button').click();
  const progress = page.getByTestId('import-progress');
  await expect(progress).toHaveAttribute('data-phase', 'failed');
  await expect(page.getByTestId('import-summary')).toContainText(
    /does not exist|not found|no such/i,
  );
  await expect(page.getByTestId('dataset-empty')).toBeVisible();
  // The refusal is the expected outcome here, and the only error.
  expect(app.errors).toEqual([
    expect.stringMatching(/^http 400 POST \/api\/datasets\/proj-[0-9a-f]{8}\/import\/local$/),
  ]);
});

test('dropping files on the Dataset screen uploads them', async ({ app, scratch }) => {
  const { page } = app;
  const folder = await writeImageFolder(`${scratch}/drop`);
  const files = await Promise.all(
    ['red/img-000.png', 'red/img-001.png', 'green/img-000.png'].map(async (name) => ({
      name: name.replace('/', '-'),
      b64: (await readFile(`${folder}/${name}`)).toString('base64'),
    })),
  );
  await createProject(page, 'Dropped');

  // Build the drop's DataTransfer in the page, as the browser would for files from the desktop.
  const dataTransfer = await page.evaluateHandle((list) => {
    const g = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: unknown[], name: string, opts: { type: string }) => unknown;
      atob(s: string): string;
    };
    const dt = new g.DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(g.atob(f.b64), (c) => c.charCodeAt(0));
      dt.items.add(new g.File([bytes], f.name, { type: 'image/png' }));
    }
    return dt;
  }, files);
  const screen = page.getByTestId('dataset-screen');
  await screen.dispatchEvent('dragenter', { dataTransfer });
  await expect(page.getByText('Drop to import into Dropped')).toBeVisible();
  await screen.dispatchEvent('drop', { dataTransfer });

  expect(await waitForImport(page)).toContain('Imported 3 items');
  await expect(page.getByTestId('dataset-total')).toHaveText('3');
  await expectThumbnailsRendered(page, 3);
  await expect(page.getByTestId('item-tile').first()).toHaveAttribute(
    'data-filename',
    'green-img-000.png',
  );
  expect(app.errors).toEqual([]);
});
