import { expectThumbnailsRendered, screenshot, test, expect } from '../helpers/fixtures.js';
import { writeAudioFolder } from '../helpers/audio.js';
import { createProject, waitForImport } from '../helpers/ui.js';

test('an audio project shows waveform tiles with durations, and plays an item', async ({
  app,
  scratch,
}) => {
  const { page } = app;
  const folder = await writeAudioFolder(`${scratch}/sounds`);

  await createProject(page, 'Machine sounds', 'audio-classification');
  await expect(page.getByTestId('dataset-empty')).toContainText('No sounds yet');
  await page.getByTestId('import-path-input').fill(folder);
  await page.getByTestId('import-path-button').click();
  expect(await waitForImport(page)).toContain('Imported 6 items');

  // Each tile: the waveform thumbnail and the clip's duration.
  await expectThumbnailsRendered(page, 6);
  const beep = page.locator('[data-testid="item-tile"][data-filename="beep/beep-0.wav"]');
  await expect(beep.getByTestId('item-duration')).toHaveText('0:00.5');
  const hum = page.locator('[data-testid="item-tile"][data-filename="hum/hum-0.wav"]');
  await expect(hum.getByTestId('item-duration')).toHaveText('0:02.0');

  // Detail: the waveform drawn from the peaks, metadata, and a player that can load the file.
  await hum.click();
  await expect(page.getByTestId('detail-waveform')).toBeVisible();
  await expect(page.getByTestId('item-detail')).toContainText('16,000 Hz');
  await expect(page.getByTestId('item-detail')).toContainText('mono');
  const audio = page.getByTestId('detail-audio');
  await expect
    .poll(() => audio.evaluate((a) => (a as unknown as { duration: number }).duration))
    .toBeCloseTo(2, 1);
  await screenshot(page, '08-dataset-audio');
  expect(app.errors).toEqual([]);
});
