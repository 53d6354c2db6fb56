import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. `browser`: the built UI served by the real workstation server, driven in
 * Debian's Chromium (never a downloaded browser). `electron`: the packaged shell through
 * Playwright's Electron support; those specs skip themselves when Electron's binary is absent.
 * Run both with `npm run test:e2e` (scripts/run-e2e.mjs), which builds first when needed.
 */
export default defineConfig({
  testDir: 'e2e',
  // Each test starts its own server and browser; on 2 cores one at a time is fastest overall.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    video: 'off',
    actionTimeout: 30_000,
  },
  projects: [
    {
      name: 'browser',
      testDir: 'e2e/browser',
      // Per project: run-e2e.mjs runs the projects one after the other, and each run empties
      // only its own projects' folders, so the browser run's failure traces survive.
      outputDir: 'e2e/artifacts/test-results/browser',
      use: {
        browserName: 'chromium',
        viewport: { width: 1360, height: 860 },
        launchOptions: {
          executablePath: process.env.ASSAY_CHROMIUM ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--disable-quic',
          ],
        },
      },
    },
    {
      name: 'electron',
      testDir: 'e2e/electron',
      outputDir: 'e2e/artifacts/test-results/electron',
    },
  ],
});
