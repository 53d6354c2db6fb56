import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';

/** Creates a project through the form; the app then opens its Dataset screen. */
export async function createProject(
  page: Page,
  name: string,
  task = 'classification',
): Promise<void> {
  await page.getByTestId('nav-projects').click();
  await page.getByTestId('project-name-input').fill(name);
  await page.getByTestId('project-task-select').selectOption(task);
  await page.getByTestId('create-project-button').click();
  await expect(page.getByTestId('header-project-name')).toHaveText(name);
  await expect(page.getByTestId('dataset-screen')).toBeVisible();
}

/** Waits for the running import to finish and returns its summary line. */
export async function waitForImport(page: Page): Promise<string> {
  const progress = page.getByTestId('import-progress');
  await expect(progress).toHaveAttribute('data-phase', /completed|failed|cancelled/, {
    timeout: 90_000,
  });
  return (await page.getByTestId('import-summary').textContent()) ?? '';
}
