import type { APIRequestContext } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  clipWav,
  generateClip,
  type DetectorClass,
} from '../../src-main/core/audio-portal/generate.js';
import { expect } from './fixtures.js';

const CLASSES: readonly DetectorClass[] = ['gold', 'iron', 'other'];

/**
 * A generated gold recording for Chromium's fake microphone (`--use-file-for-fake-audio-capture`,
 * which loops it). Written when the spec loads: the browser's arguments need the path before any
 * test starts.
 */
export function writeFakeMicrophoneWav(name: string): string {
  const dir = path.join(os.tmpdir(), 'assay-e2e-mic');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, name);
  writeFileSync(
    file,
    clipWav(
      generateClip({ seed: 4242, label: 'gold', seconds: 4, events: 4, depth: 0.1, noise: 0.2 }),
    ),
  );
  return file;
}

/** A generated clip as the bytes of a WAV file. */
export const portalClip = (label: DetectorClass, seed: number): Buffer =>
  clipWav(generateClip({ seed, label, seconds: 2, events: 2 }));

/** `POST /api/dataset/upload` of `perClass` generated clips of each class. */
export async function uploadPortalClips(
  request: APIRequestContext,
  base: string,
  perClass: number,
): Promise<void> {
  for (const label of CLASSES) {
    for (let i = 0; i < perClass; i++) {
      const res = await request.post(`${base}/api/dataset/upload`, {
        multipart: {
          class_label: label,
          file: {
            name: `${label}-${i}.wav`,
            mimeType: 'audio/wav',
            buffer: portalClip(label, 100 * (i + 1) + label.length),
          },
        },
      });
      expect(res.status(), `upload ${label}-${i}: ${await res.text()}`).toBe(200);
    }
  }
}

/** Trains the three families with tiny settings through the API and waits for the end. */
export async function trainPortal(
  request: APIRequestContext,
  base: string,
  timeout: number,
): Promise<void> {
  const start = await request.post(`${base}/api/training/start`, {
    data: {
      epochs: 3,
      batch_size: 16,
      learning_rate: 0.003,
      families: ['CNN', 'TRANSFORMER', 'TRADITIONAL'],
    },
  });
  expect(start.status(), `training/start: ${await start.text()}`).toBe(200);
  await expect
    .poll(
      async () => {
        const status = (await (await request.get(`${base}/api/training/status`)).json()) as {
          status: string;
        };
        if (status.status === 'failed')
          throw new Error(`training failed: ${JSON.stringify(status)}`);
        return status.status;
      },
      { timeout, intervals: [1000] },
    )
    .toBe('completed');
}
