import { test as base, expect, type Page } from '@playwright/test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, startTestServer, type TestServer } from './server.js';

export { expect };

export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'e2e/artifacts/screenshots');

export interface AppHandle {
  readonly page: Page;
  readonly url: string;
  /** Uncaught page errors, console errors and HTTP error replies seen so far. */
  readonly errors: string[];
}

interface Fixtures {
  /** A fresh, empty workspace folder for this test's server. */
  workspace: string;
  /** A scratch folder for files the test generates (images to import). */
  scratch: string;
  server: TestServer;
  /** The UI loaded from this test's server, first load finished (`data-app-state="ready"`). */
  app: AppHandle;
}

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), prefix));
}

/** The bits of an <img> the checks read (tests compile without the DOM library). */
interface ImageLike {
  readonly complete: boolean;
  readonly naturalWidth: number;
  readonly src: string;
}

// Runs in the page before the app: records Content-Security-Policy violations, so a policy that
// breaks plotly (or anything else) fails the test instead of silently degrading the UI.
const CSP_RECORDER = `
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || '(inline)') + ' at ' + e.sourceFile + ':' + e.lineNumber + ':' + e.columnNumber);
  });
`;

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  workspace: async ({}, use) => {
    const dir = await tempDir('assay-e2e-ws-');
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },

  // eslint-disable-next-line no-empty-pattern
  scratch: async ({}, use) => {
    const dir = await tempDir('assay-e2e-data-');
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },

  server: async ({ workspace }, use, testInfo) => {
    const server = await startTestServer(workspace);
    try {
      await use(server);
    } finally {
      await server.stop();
      if (testInfo.status !== testInfo.expectedStatus) {
        await testInfo.attach('server.log', { body: server.output(), contentType: 'text/plain' });
      }
    }
  },

  app: async ({ page, server }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // Failed requests are recorded below with their URL; Chrome's console line has none.
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource'))
        errors.push(`console: ${m.text()}`);
    });
    page.on('response', (r) => {
      if (r.status() >= 400)
        errors.push(`http ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
    });
    await page.addInitScript({ content: CSP_RECORDER });
    await page.goto(server.url);
    await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
    await use({ page, url: server.url, errors });
    const violations = await page
      .evaluate<string[]>('window.__cspViolations ?? []')
      .catch(() => ['(could not read the CSP violations: the page is gone)']);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  },
});

/** Saves a screenshot of the screen as a person sees it (passing toasts closed first). */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // One at a time, always the first: closing one shifts the others, so saved handles go stale.
  const closers = page.locator('.toast-close');
  for (let left = await closers.count(); left > 0; left -= 1)
    await closers
      .first()
      .click({ timeout: 2000 })
      .catch(() => undefined);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** naturalWidth of the image matched by a locator (0 until it has loaded). */
export function naturalWidth(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((i) => (i as unknown as ImageLike).naturalWidth);
}

/** Every thumbnail in the DOM has loaded with real pixels; at least `min` of them. */
export async function expectThumbnailsRendered(page: Page, min: number): Promise<void> {
  const thumbs = page.getByTestId('item-thumb');
  await expect
    .poll(
      () =>
        thumbs.evaluateAll(
          (imgs) =>
            (imgs as unknown as ImageLike[]).filter((i) => i.complete && i.naturalWidth > 0).length,
        ),
      { message: 'thumbnails with naturalWidth > 0' },
    )
    .toBeGreaterThanOrEqual(min);
  const broken = await thumbs.evaluateAll((imgs) =>
    (imgs as unknown as ImageLike[])
      .filter((i) => i.complete && i.naturalWidth === 0)
      .map((i) => i.src),
  );
  expect(broken, 'broken thumbnails').toEqual([]);
}
