import { readFileSync } from 'node:fs';
import { expect, screenshot, test } from '../helpers/fixtures.js';
import {
  portalClip,
  trainPortal,
  uploadPortalClips,
  writeFakeMicrophoneWav,
} from '../helpers/audio-portal.js';

// Chromium's fake microphone plays a generated gold recording, granted without a prompt. Only
// this spec's browser gets these arguments (the rest are the project's own).
const MIC_WAV = writeFakeMicrophoneWav('gold-capture.wav');
test.use({
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
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-audio-capture=${MIC_WAV}`,
      '--autoplay-policy=no-user-gesture-required',
    ],
  },
});

const PAGES = [
  ['/classify', 'audio-classify'],
  ['/realtime', 'audio-realtime'],
  ['/analytics', 'audio-analytics'],
  ['/dataset', 'audio-dataset'],
  ['/training', 'audio-training'],
] as const;

test('audio portal pages open their screens from the address', async ({ app }) => {
  const { page, url } = app;
  for (const [path, screen] of PAGES) {
    await page.goto(url + path);
    await expect(page.locator('body')).toHaveAttribute('data-app-state', 'ready');
    await expect(page.getByTestId(screen)).toBeVisible();
    // The app lives at /: the page path became the screen's hash, so back and reload work.
    expect(new URL(page.url()).pathname).toBe('/');
    expect(new URL(page.url()).hash).toBe(`#/audio/${path.slice(1)}`);
    await expect(page.getByTestId(`nav-${screen}`)).toHaveAttribute('aria-current', 'page');
  }
  await page.goto(url + '/');
  await expect(page.getByTestId('screen-projects')).toBeVisible();
});

test('audio portal with no model: Classify says so and leads to Training', async ({ app }) => {
  const { page, url } = app;
  await page.goto(`${url}/classify`);
  await expect(page.getByTestId('audio-no-model')).toContainText('No model yet');
  await screenshot(page, '40-audio-classify-no-model');
  await page.getByTestId('audio-train-a-model').click();
  await expect(page.getByTestId('audio-training')).toBeVisible();
  await expect(page.getByTestId('training-start')).toBeVisible();
  await page.getByTestId('nav-audio-analytics').click();
  await expect(page.getByTestId('audio-no-model')).toBeVisible();
});

test('audio portal dataset screen lists uploaded clips and plays one', async ({ app, request }) => {
  const { page, url } = app;
  await page.goto(`${url}/dataset`);
  await expect(page.getByTestId('dataset-empty')).toBeVisible();
  for (const [label, seed] of [
    ['gold', 1],
    ['iron', 2],
    ['other', 3],
  ] as const) {
    const res = await request.post(`${url}/api/dataset/upload`, {
      multipart: {
        class_label: label,
        file: { name: `${label}-clip.wav`, mimeType: 'audio/wav', buffer: portalClip(label, seed) },
      },
    });
    expect(res.status(), await res.text()).toBe(200);
  }
  await page.reload();
  await expect(page.getByTestId('dataset-item')).toHaveCount(3);
  const gold = page.getByTestId('dataset-classes').locator('tr[data-class="gold"]');
  await expect(gold).toContainText('1 file');
  // The events column is the server's count, whatever its onset detector found.
  const info = (await (await request.get(`${url}/api/dataset/info`)).json()) as {
    classes: Record<string, { events: number }>;
  };
  const events = info.classes.gold?.events ?? -1;
  await expect(gold).toContainText(`${events} event${events === 1 ? '' : 's'}`);
  await page
    .locator('[data-testid="dataset-item"][data-filename="iron/iron-clip.wav"] button')
    .click();
  await expect(page.getByTestId('dataset-waveform')).toBeVisible();
  await expect(page.getByTestId('dataset-selected')).toContainText('iron/iron-clip.wav');
  const audio = page.getByTestId('dataset-audio');
  await expect
    .poll(() => audio.evaluate((a) => (a as unknown as { duration: number }).duration))
    .toBeCloseTo(2, 1);
  await screenshot(page, '41-audio-dataset');

  // Added through the screen's own picker, to the class chosen beside it.
  await page.getByLabel('Class').selectOption('iron');
  await page.getByTestId('dataset-upload').setInputFiles({
    name: 'picked.wav',
    mimeType: 'audio/wav',
    buffer: portalClip('iron', 9),
  });
  await expect(page.getByTestId('dataset-item')).toHaveCount(4);
  await expect(
    page.locator('[data-testid="dataset-item"][data-filename="iron/picked.wav"]'),
  ).toBeVisible();
  await expect(page.getByTestId('dataset-classes').locator('tr[data-class="iron"]')).toContainText(
    '2 files',
  );
  expect(app.errors).toEqual([]);
});

test('audio portal dataset screen augments and balances, with before/after charts', async ({
  app,
  request,
}) => {
  const { page, url } = app;
  await uploadPortalClips(request, url, 2);
  const extra = await request.post(`${url}/api/dataset/upload`, {
    multipart: {
      class_label: 'gold',
      file: { name: 'gold-extra.wav', mimeType: 'audio/wav', buffer: portalClip('gold', 77) },
    },
  });
  expect(extra.status()).toBe(200);
  await page.goto(`${url}/dataset`);
  await expect(page.getByTestId('dataset-item')).toHaveCount(7);

  await page.getByTestId('augment-run').click();
  const comparison = page.getByTestId('dataset-comparison');
  await expect(comparison).toContainText('Augmentation', { timeout: 120_000 });
  await expect(page.getByTestId('dataset-comparison-plot')).toHaveAttribute(
    'data-plot-ready',
    'true',
  );
  await expect.poll(() => page.getByTestId('dataset-item').count()).toBeGreaterThan(7);

  await page.getByTestId('balance-run').click();
  await expect(comparison).toContainText('Balancing', { timeout: 120_000 });
  const info = (await (await request.get(`${url}/api/dataset/info`)).json()) as {
    classes: Record<string, { files: number }>;
  };
  const counts = Object.values(info.classes).map((c) => c.files);
  expect(new Set(counts).size, JSON.stringify(info.classes)).toBe(1);
  await screenshot(page, '45-audio-dataset-balanced');
  expect(app.errors).toEqual([]);
});

test('audio portal realtime screen opens the microphone: level and spectrogram move', async ({
  app,
  request,
}) => {
  const { page, url } = app;
  await page.goto(`${url}/realtime`);
  // Thresholds are the server's: shown as stored, and a change is stored there.
  await expect(page.getByTestId('threshold-gold')).toHaveAttribute('data-value', '0.5');
  await page.getByTestId('threshold-gold').fill('0.8');
  await expect
    .poll(async () => {
      const settings = (await (await request.get(`${url}/api/stream/settings`)).json()) as {
        thresholds: Record<string, number>;
      };
      return settings.thresholds.gold;
    })
    .toBe(0.8);
  await page.reload();
  await expect(page.getByTestId('threshold-gold')).toHaveValue('0.8');
  await page.getByTestId('realtime-start').click();
  await expect(page.getByTestId('realtime-state')).toHaveAttribute('data-phase', 'running');
  await expect
    .poll(async () => Number(await page.getByTestId('realtime-level').getAttribute('data-db')))
    .toBeGreaterThan(-60);
  await expect
    .poll(async () =>
      Number(await page.getByTestId('realtime-spectrogram').getAttribute('data-columns')),
    )
    .toBeGreaterThan(20);
  await screenshot(page, '42-audio-realtime-listening');
  await page.getByTestId('realtime-stop').click();
  await expect(page.getByTestId('realtime-state')).toHaveAttribute('data-phase', 'idle');
  // The stream's connection and the training status are the server's to test (the screen works
  // without them: no model, no verdicts); nothing else may fail here.
  const own = app.errors.filter(
    (e) => !e.includes('/socket.io/') && !e.endsWith('GET /api/training/status'),
  );
  expect(own).toEqual([]);
});

test('audio portal training screen trains the families with live progress and curves', async ({
  app,
  request,
}) => {
  test.setTimeout(900_000);
  const { page, url } = app;
  await uploadPortalClips(request, url, 6);
  await page.goto(`${url}/training`);
  await page.getByTestId('training-epochs').fill('3');
  await page.getByTestId('training-start').click();
  const status = page.getByTestId('training-status');
  await expect(status).toHaveAttribute('data-status', /training|completed/);
  await expect(page.getByTestId('training-progress')).toBeVisible();
  await expect(status).toHaveAttribute('data-status', 'completed', { timeout: 800_000 });
  await expect(page.getByTestId('training-loss')).toHaveAttribute('data-plot-ready', 'true');
  await screenshot(page, '46-audio-training-done');
  // Trained: Classify and Analytics no longer send the user back here.
  await page.getByTestId('nav-audio-analytics').click();
  await expect(page.getByTestId('analytics-family-CNN')).toBeVisible();
  await expect(page.getByTestId('audio-no-model')).toHaveCount(0);
  await screenshot(page, '47-audio-analytics');
  expect(app.errors).toEqual([]);
});

test.describe('audio portal with a trained model', () => {
  test.setTimeout(900_000);

  test.beforeEach(async ({ request, server }) => {
    await uploadPortalClips(request, server.url, 8);
    await trainPortal(request, server.url, 800_000);
  });

  test('audio portal realtime screen hears gold from the microphone', async ({ app }) => {
    const { page, url } = app;
    await page.goto(`${url}/realtime`);
    await expect(page.getByTestId('audio-no-model')).toHaveCount(0);
    await page.getByTestId('realtime-start').click();
    await expect(page.getByTestId('realtime-verdict')).toHaveText('gold', { timeout: 60_000 });
    const logged = page.getByTestId('realtime-log').locator('tr[data-label="gold"]').first();
    await expect(logged).toBeVisible();
    // The server's own measure of the verdict's delay after the tone's onset.
    await expect(logged.getByTestId('realtime-latency')).toContainText(/\d+ ms after onset/);
    await screenshot(page, '43-audio-realtime-gold');
    await page.getByTestId('realtime-stop').click();
    expect(app.errors).toEqual([]);
  });

  test('audio portal classify screen shows the three votes for a dropped file', async ({ app }) => {
    const { page, url } = app;
    await page.goto(`${url}/classify`);
    const b64 = readFileSync(MIC_WAV).toString('base64');
    // Runs in the page (the test code compiles without the DOM's types).
    const dataTransfer = await page.evaluateHandle((data) => {
      const dom = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
      };
      const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
      const dt = new dom.DataTransfer();
      dt.items.add(new dom.File([bytes], 'dropped-gold.wav', { type: 'audio/wav' }));
      return dt;
    }, b64);
    await page.getByTestId('classify-drop').dispatchEvent('drop', { dataTransfer });
    await expect(page.getByTestId('classify-result')).toBeVisible({ timeout: 60_000 });
    for (const family of ['CNN', 'TRANSFORMER', 'TRADITIONAL']) {
      await expect(page.getByTestId(`vote-${family}`)).toContainText(/gold|iron|other/);
    }
    await expect(page.getByTestId('classify-verdict')).toHaveText('gold');
    await expect(page.getByTestId('classify-waveform')).toBeVisible();
    await expect(page.getByTestId('signal-event').first()).toBeVisible();
    await expect
      .poll(async () =>
        Number(await page.getByTestId('classify-spectrogram').getAttribute('data-columns')),
      )
      .toBeGreaterThan(10);
    await screenshot(page, '44-audio-classify-votes');

    // Recorded from the (fake, gold-playing) microphone: the same verdict and votes.
    await page.getByTestId('classify-record').click();
    await expect(page.getByTestId('classify-record')).toHaveText(/Recording/);
    await expect(page.getByTestId('classify-result')).toContainText('recording.wav', {
      timeout: 60_000,
    });
    await expect(page.getByTestId('classify-verdict')).toHaveText('gold');
    for (const family of ['CNN', 'TRANSFORMER', 'TRADITIONAL']) {
      await expect(page.getByTestId(`vote-${family}`)).toContainText(/gold|iron|other/);
    }
    expect(app.errors).toEqual([]);
  });
});
