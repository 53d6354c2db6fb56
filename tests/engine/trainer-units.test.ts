import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveExperimentConfig } from '../../src-main/core/engine/config.js';
import {
  recoverCheckpointDir,
  writeCheckpointDir,
} from '../../src-main/core/engine/trainer/checkpoint-dir.js';
import { ProgressReporter } from '../../src-main/core/engine/trainer/progress.js';
import { earlyStoppingStep, learningRateAt } from '../../src-main/core/engine/trainer/schedule.js';
import type { RunProgress } from '../../src-shared/contract/training.js';
import { tempDir } from './trainer-fixtures.js';

const files = (text: string) =>
  new Map([
    ['a.txt', Buffer.from(text)],
    ['b.txt', Buffer.from(`${text}!`)],
  ]);

describe('checkpoint folders', () => {
  const made: string[] = [];
  const scratch = async (): Promise<string> => {
    const dir = await tempDir('ckpt');
    made.push(dir);
    return dir;
  };
  afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

  it('replace atomically; a failed write keeps the previous folder and leaves no temp folder', async () => {
    const root = path.join(await scratch(), 'checkpoints');
    await writeCheckpointDir(root, 'last', files('one'));
    await writeCheckpointDir(root, 'last', files('two'));
    expect(await readFile(path.join(root, 'last', 'b.txt'), 'utf8')).toBe('two!');
    const enospc = () => {
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    };
    await expect(
      writeCheckpointDir(root, 'last', files('three'), (f) => f === 'b.txt' && enospc()),
    ).rejects.toThrow(/ENOSPC/);
    expect(await readFile(path.join(root, 'last', 'a.txt'), 'utf8')).toBe('two');
    expect(await readdir(root)).toEqual(['last']);
  });

  it('recover a folder left renamed aside by a crash between the two renames', async () => {
    const root = path.join(await scratch(), 'checkpoints');
    await writeCheckpointDir(root, 'best', files('kept'));
    await rename(path.join(root, 'best'), path.join(root, '.best.old-1234'));
    await mkdir(path.join(root, '.best.tmp-5678'));
    expect(await recoverCheckpointDir(root, 'best')).toBe(path.join(root, 'best'));
    expect(await readFile(path.join(root, 'best', 'a.txt'), 'utf8')).toBe('kept');
    expect(await readdir(root)).toEqual(['best']);
    expect(await recoverCheckpointDir(root, 'last')).toBeNull();
  });
});

describe('learning-rate schedule', () => {
  const cfg = (lr_schedule: object, epochs = 10) =>
    resolveExperimentConfig('classification', {
      epochs,
      optimizer: { learning_rate: 0.1 },
      lr_schedule,
    });
  it('warm-up, step, exponential, cosine', () => {
    const at = (c: ReturnType<typeof cfg>) =>
      Array.from({ length: c.epochs }, (_, e) => learningRateAt(c, e));
    expect(at(cfg({ type: 'constant' }, 3))).toEqual([0.1, 0.1, 0.1]);
    expect(at(cfg({ type: 'constant', warmup_epochs: 1 }, 3))).toEqual([0.05, 0.1, 0.1]);
    expect(at(cfg({ type: 'step', step_epochs: 2, gamma: 0.5 }, 5))).toEqual([
      0.1, 0.1, 0.05, 0.05, 0.025,
    ]);
    const exp = at(cfg({ type: 'exponential', gamma: 0.5, min_learning_rate: 0.02 }, 4));
    expect(exp).toEqual([0.1, 0.05, 0.025, 0.02]);
    const cos = at(cfg({ type: 'cosine', min_learning_rate: 0.01 }, 5));
    expect(cos[0]).toBeCloseTo(0.1);
    expect(cos[2]).toBeCloseTo(0.055);
    expect(cos[4]).toBeCloseTo(0.01);
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without an improvement beyond min_delta, by the metric’s direction', () => {
    const es = { enabled: true, monitor: 'val_accuracy' as const, patience: 2, min_delta: 0.01 };
    let state = { metric: 'val_accuracy', value: null as number | null, epoch: 0, wait: 0 };
    const seq = [0.5, 0.7, 0.705, 0.71, 0.9];
    const stops: boolean[] = [];
    seq.forEach((v, i) => {
      const r = earlyStoppingStep(es, state, v, i + 1);
      state = r.state;
      stops.push(r.stop);
    });
    expect(stops).toEqual([false, false, false, true, false]);
    const loss = earlyStoppingStep(
      { ...es, monitor: 'val_loss' },
      { metric: 'val_loss', value: 1, epoch: 1, wait: 0 },
      0.5,
      2,
    );
    expect(loss.state).toMatchObject({ value: 0.5, epoch: 2, wait: 0 });
    expect(earlyStoppingStep({ ...es, enabled: false }, state, 0, 9).stop).toBe(false);
  });
});

describe('progress', () => {
  it('is throttled to one event per 250 ms within a phase; phase changes always go out', () => {
    let now = 0;
    const sent: RunProgress[] = [];
    const p = new ProgressReporter(
      (x) => sent.push(x),
      3,
      () => now,
    );
    p.phase('training', 1, 10);
    for (let b = 1; b <= 10; b++) {
      now += 100;
      p.training(1, b, 10, 50, 12.3);
    }
    p.phase('validating', 1);
    expect(sent.map((s) => s.phase)).toEqual([
      'training',
      'training',
      'training',
      'training',
      'validating',
    ]);
    expect(sent[1]).toMatchObject({
      epoch: 1,
      epochs: 3,
      batch: 3,
      batches: 10,
      samples_per_second: 50,
      eta_seconds: 12,
    });
  });
});
