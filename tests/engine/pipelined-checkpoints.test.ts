// Pipelined checkpoints (run-training.ts): epoch k's checkpoint is written while epoch k + 1
// trains. Its event must still follow its durable checkpoint, a stop or a failed write wherever
// it lands must leave a checkpoint that resumes exactly, and a killed worker must resume with
// every epoch once and the weights of an uninterrupted run.
import { readFileSync } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeCheckpointDirs } from '../../src-main/core/engine/trainer/checkpoint-dir.js';
import {
  CheckpointWriter,
  checkpointWriterTuning,
} from '../../src-main/core/engine/trainer/checkpoint-writer.js';
import {
  startTraining,
  type TrainerEvent,
  type TrainJob,
} from '../../src-main/core/engine/trainer/training-runner.js';
import { linearTable, tempDir } from './trainer-fixtures.js';
import {
  checkpointFile,
  checkpointState,
  epochs,
  learned,
  makeJob,
  runInline,
  started,
  terminal,
} from './trainer-harness.js';

const EPOCHS = 6;
let dir: string;
let table: string;
beforeAll(async () => {
  dir = await tempDir('pipelined');
  await mkdir(path.join(dir, 'table'), { recursive: true });
  table = await linearTable(path.join(dir, 'table'), 400, 4);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const job = (name: string): TrainJob =>
  makeJob(
    path.join(dir, name),
    'regression',
    {
      kind: 'table',
      tables: [table],
      targetColumn: null,
      ratios: { train: 0.7, val: 0.15, test: 0.15 },
      seed: 3,
    },
    // 280 training rows: 9 batches of 32 (the last one 24) per epoch.
    { hidden_layers: [16, 8], epochs: EPOCHS, batch_size: 32, optimizer: { learning_rate: 0.01 } },
  );

const stateOn = (j: TrainJob, which: 'best' | 'last') =>
  JSON.parse(readFileSync(path.join(j.runDir, 'checkpoints', which, 'state.json'), 'utf8')) as {
    epochs_completed: number;
  };

/** The run's last weights, optimizer slots and history equal those of `ref`. */
async function expectSameRun(j: TrainJob, ref: TrainJob): Promise<void> {
  for (const file of ['weights.bin', 'optimizer.bin']) {
    expect(
      (await checkpointFile(j, 'last', file)).equals(await checkpointFile(ref, 'last', file)),
    ).toBe(true);
  }
  expect((await checkpointState(j)).history.map(learned)).toEqual(
    (await checkpointState(ref)).history.map(learned),
  );
}

describe('pipelined checkpoints', () => {
  let straight: TrainJob;
  beforeAll(async () => {
    straight = job('straight');
    // The reference: each checkpoint written before training goes on, by the writer thread.
    expect(terminal(await runInline(straight, { pipelined: false }))?.type).toBe('completed');
  });

  it('announce each epoch only once its checkpoint is on disk, and train the same weights', async () => {
    const j = job('announce');
    const seen: number[] = [];
    const events = await runInline(j, {
      pipelined: true,
      onEvent: (e) => {
        if (e.type !== 'epoch') return;
        // Read at the moment of the event: the checkpoint of this very epoch is in place.
        expect(stateOn(j, 'last').epochs_completed).toBe(e.metrics.epoch);
        if (e.isBest) expect(stateOn(j, 'best').epochs_completed).toBe(e.metrics.epoch);
        seen.push(e.metrics.epoch);
      },
    });
    expect(terminal(events)).toMatchObject({ type: 'completed', reason: 'finished' });
    // Every epoch announced once, in order, before the terminal event.
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.findIndex((e) => e.type === 'completed')).toBeGreaterThan(
      events.findLastIndex((e) => e.type === 'epoch'),
    );
    await expectSameRun(j, straight);
    // best and last of one epoch share their files: written once, linked twice.
    const best = await checkpointState(j, 'best');
    if (best.epochs_completed === EPOCHS) {
      const [a, b] = await Promise.all(
        ['best', 'last'].map((w) => stat(path.join(j.runDir, 'checkpoints', w, 'weights.bin'))),
      );
      expect(a?.ino).toBe(b?.ino);
    }
  });

  it('written on the trainer thread (no writer thread) the checkpoints are the same', async () => {
    checkpointWriterTuning.enabled = false;
    try {
      const j = job('in-thread');
      expect(terminal(await runInline(j))?.type).toBe('completed');
      await expectSameRun(j, straight);
      for (const file of ['weights.bin', 'optimizer.bin']) {
        expect(
          (await checkpointFile(j, 'best', file)).equals(
            await checkpointFile(straight, 'best', file),
          ),
        ).toBe(true);
      }
    } finally {
      checkpointWriterTuning.enabled = true;
    }
  });

  it('a stop wherever it lands (epoch end or mid-epoch) resumes to the same weights', async () => {
    for (const [name, stopAfter] of [
      ['stop-0', { epochs: 2, batches: 0 }],
      ['stop-4', { epochs: 3, batches: 4 }],
    ] as const) {
      const j = job(name);
      const first = await runInline(j, { pipelined: true, stopAfter });
      expect(terminal(first)).toEqual({ type: 'stopped' });
      expect(first.at(-1)).toEqual({ type: 'stopped' });
      const announced = epochs(first).map((m) => m.epoch);
      const state = await checkpointState(j);
      // The stop waited for the write in flight: everything announced is in the checkpoint.
      expect(state.epochs_completed).toBe(announced.length);
      expect(announced).toEqual(Array.from({ length: announced.length }, (_, i) => i + 1));
      const rest = await runInline({ ...j, resume: true }, { pipelined: true });
      expect(started(rest)).toMatchObject({ resumedFromEpoch: announced.length });
      expect([...announced, ...epochs(rest).map((m) => m.epoch)]).toEqual([1, 2, 3, 4, 5, 6]);
      await expectSameRun(j, straight);
    }
  });

  it('a write that fails while the next epoch trains fails the run; the previous checkpoint stays and resumes', async () => {
    const j = job('enospc');
    const events = await runInline(j, {
      pipelined: true,
      testOptions: { failCheckpointAtEpoch: 3 },
    });
    const end = terminal(events);
    expect(end?.type).toBe('failed');
    expect(end && 'message' in end ? end.message : '').toMatch(
      /after epoch 3: the disk is full \(ENOSPC\); the previous checkpoint is kept/,
    );
    expect(events.filter((e) => e.type === 'failed')).toHaveLength(1);
    expect(epochs(events).map((m) => m.epoch)).toEqual([1, 2]);
    expect(events.findIndex((e) => e.type === 'failed')).toBeGreaterThan(
      events.findLastIndex((e) => e.type === 'epoch'),
    );
    expect((await checkpointState(j)).epochs_completed).toBe(2);
    expect((await readdir(path.join(j.runDir, 'checkpoints'))).sort()).toEqual(['best', 'last']);
    const again = await runInline({ ...j, resume: true });
    expect(epochs(again).map((m) => m.epoch)).toEqual([3, 4, 5, 6]);
    await expectSameRun(j, straight);
  });

  it('a worker killed while a write may be in flight resumes with every epoch once and the same weights', async () => {
    const j = job('kill');
    const first: TrainerEvent[] = [];
    const h = startTraining(j, (e) => {
      first.push(e);
      // The first report of epoch 3's training: epoch 2's write is likely still going.
      if (e.type === 'progress' && e.progress.phase === 'training' && e.progress.epoch === 3) {
        void h.kill();
      }
    });
    await h.done;
    expect(terminal(first)).toBeUndefined();
    const from = (await checkpointState(j)).epochs_completed;
    expect(from).toBeGreaterThanOrEqual(1);
    const second: TrainerEvent[] = [];
    const h2 = startTraining({ ...j, resume: true }, (e) => second.push(e));
    await h2.done;
    expect(terminal(second)).toMatchObject({ type: 'completed' });
    expect(started(second)).toMatchObject({ resumedFromEpoch: from });
    expect(epochs(second).map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6].slice(from));
    await expectSameRun(j, straight);
  });
});

describe('the checkpoint writer thread', () => {
  const files = (text: string) => new Map([['a.txt', Buffer.from(text)]]);
  it('writes folders durably through its thread; a failed write keeps the previous one', async () => {
    const root = path.join(dir, 'writer', 'checkpoints');
    const writer = CheckpointWriter.start();
    try {
      await writer.write(root, ['best', 'last'], files('one'));
      expect(writer.onThread).toBe(true);
      expect(readFileSync(path.join(root, 'best', 'a.txt'), 'utf8')).toBe('one');
      const enospc = (f: string) => {
        if (f === 'a.txt') throw Object.assign(new Error('ENOSPC: no space'), { code: 'ENOSPC' });
      };
      await expect(writer.write(root, ['last'], files('two'), enospc)).rejects.toMatchObject({
        code: 'ENOSPC',
        message: 'ENOSPC: no space',
      });
      expect(writer.onThread).toBe(true);
      expect(readFileSync(path.join(root, 'last', 'a.txt'), 'utf8')).toBe('one');
      expect((await readdir(root)).sort()).toEqual(['best', 'last']);
    } finally {
      await writer.close();
    }
  });
});

describe('writeCheckpointDirs', () => {
  const files = (text: string) =>
    new Map([
      ['a.txt', Buffer.from(text)],
      ['b.txt', Buffer.from(`${text}!`)],
    ]);
  const read = (root: string, name: string, file: string) =>
    readFileSync(path.join(root, name, file), 'utf8');

  it('replaces several folders with the same files in one pass', async () => {
    const root = path.join(dir, 'dirs', 'checkpoints');
    await writeCheckpointDirs(root, ['best', 'last'], files('one'));
    await writeCheckpointDirs(root, ['last'], files('two'));
    expect([read(root, 'best', 'b.txt'), read(root, 'last', 'b.txt')]).toEqual(['one!', 'two!']);
    await writeCheckpointDirs(root, ['best', 'last'], files('three'));
    expect([read(root, 'best', 'a.txt'), read(root, 'last', 'a.txt')]).toEqual(['three', 'three']);
    expect((await readdir(root)).sort()).toEqual(['best', 'last']);
  });

  it('a failed write keeps every previous folder and leaves no temp folder', async () => {
    const root = path.join(dir, 'dirs-fail', 'checkpoints');
    await writeCheckpointDirs(root, ['best'], files('old best'));
    await writeCheckpointDirs(root, ['last'], files('old last'));
    const enospc = (f: string) => {
      if (f === 'b.txt') throw Object.assign(new Error('ENOSPC: no space'), { code: 'ENOSPC' });
    };
    await expect(writeCheckpointDirs(root, ['best', 'last'], files('new'), enospc)).rejects.toThrow(
      /ENOSPC/,
    );
    expect([read(root, 'best', 'a.txt'), read(root, 'last', 'a.txt')]).toEqual([
      'old best',
      'old last',
    ]);
    expect((await readdir(root)).sort()).toEqual(['best', 'last']);
  });
});
