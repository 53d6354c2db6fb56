import { test, expect } from '../helpers/fixtures.js';
import { createProject } from '../helpers/ui.js';

test('rename and delete a project (with confirmation), and reload onto the same screen', async ({
  app,
}) => {
  const { page } = app;
  await createProject(page, 'Old name', 'audio-classification');
  await expect(page.getByTestId('dataset-empty')).toContainText('No sounds yet');

  // A reload returns to the same project screen (the route lives in the URL).
  await page.reload();
  await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
  await expect(page.getByTestId('header-project-name')).toHaveText('Old name');

  await page.getByTestId('nav-projects').click();
  const row = page.getByTestId('project-row');
  await row.getByTestId('project-rename').click();
  await row.getByTestId('rename-input').fill('New name');
  await row.getByTestId('rename-save').click();
  await expect(row.getByTestId('project-name')).toHaveText('New name');

  // Cancel keeps it; confirm deletes it.
  await row.getByTestId('project-delete').click();
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('project-row')).toHaveCount(1);
  await row.getByTestId('project-delete').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText('New name');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('project-row')).toHaveCount(0);
  await expect(page.getByTestId('projects-empty')).toBeVisible();

  // The server agrees.
  const res = await page.request.get(`${app.url}/api/projects`);
  expect(await res.json()).toEqual({ status: 'ok', data: [] });
  expect(app.errors).toEqual([]);
});
