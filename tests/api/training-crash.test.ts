// A crash in the middle of training: the real server as a child process, SIGKILLed while a run
// trains, restarted on the same workspace. The run must read `interrupted`, resume from its last
// checkpoint, and end with every epoch 1..N stored exactly once, the earlier ones unchanged, and
// with the same metrics as an uninterrupted run of the same experiment (fixed seed).
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Job, JobPage } from '../../src-shared/contract/jobs.js';
import { Run, RunStarted, type EpochMetrics } from '../../src-shared/contract/training.js';
import { api, startServer, type ServerProcess as Server } from './helpers/server-process.js';

const EPOCHS = 10;
import { sleep, tinyConfig, writeImageDataset } from './training-helpers.js';

let root: string;
const servers: Server[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-crash-'));
});
afterAll(async () => {
  for (const s of servers) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await s.exited;
  }
  await rm(root, { recursive: true, force: true });
});

describe('a server killed mid-training', () => {
  it('marks the run interrupted on restart and resumes it with every epoch exactly once', async () => {
    const workspace = path.join(root, 'ws');
    const data = path.join(root, 'data');
    await writeImageDataset(data, 64, ['left', 'right'], 48);

    let server = await startServer(workspace);
    servers.push(server);
    const project = await api(server, 'POST', '/api/projects', z.object({ id: z.string() }), {
      name: 'crash',
      task: 'classification',
    });
    const pid = project.id;
    const job = await api(
      server,
      'POST',
      `/api/datasets/${pid}/import/local`,
      z.object({ job_id: z.string() }),
      { path: data },
    );
    for (;;) {
      const j = await api(
        server,
        'GET',
        `/api/jobs/${job.job_id}`,
        z.object({ status: z.string() }),
      );
      if (j.status === 'completed') break;
      expect(['pending', 'running']).toContain(j.status);
      await sleep(50);
    }
    await api(server, 'POST', `/api/splits/${pid}`, z.unknown(), {
      name: 'main',
      ratios: { train: 0.75, val: 0.25, test: 0 },
    });
    const exp = await api(
      server,
      'POST',
      `/api/training/${pid}/experiments`,
      z.object({ id: z.string() }),
      {
        name: 'crash',
        split_index: 0,
        config: tinyConfig({
          epochs: EPOCHS,
          input: { width: 48, height: 48, channels: 1 },
          batch_size: 2,
        }),
      },
    );
    const { run_id } = await api(
      server,
      'POST',
      `/api/training/${pid}/experiments/${exp.id}/run`,
      RunStarted,
    );
    const runPath = `/api/training/${pid}/runs/${run_id}`;

    // At least one epoch stored and the run still going: then the process dies at once. Progress
    // within an epoch is throttled (250 ms), so on a fast machine an epoch can pass without a
    // mid-epoch report; the kill lands wherever the trainer is, which is the point of the test.
    let seen: Run;
    for (;;) {
      seen = await api(server, 'GET', runPath, Run);
      expect(seen.status).toBe('running');
      const done = seen.metrics.history.length;
      if (done >= 1) break;
      await sleep(10);
    }
    expect(
      seen.metrics.history.length,
      'the run finished too quickly to be caught mid-run',
    ).toBeLessThan(EPOCHS);
    server.child.kill('SIGKILL');
    expect(await server.exited).toBeNull(); // killed by the signal, no orderly shutdown

    server = await startServer(workspace);
    servers.push(server);
    const after = await api(server, 'GET', runPath, Run);
    expect(after.status).toBe('interrupted');
    expect(after.message).toMatch(/interrupted/);
    const before: EpochMetrics[] = after.metrics.history;
    expect(before.length).toBeGreaterThanOrEqual(seen.metrics.history.length);
    expect(before.slice(0, seen.metrics.history.length)).toEqual(seen.metrics.history);
    // The run's job reads interrupted too, and says it can be resumed.
    const jobs = await api(server, 'GET', `/api/jobs?kind=training&project_id=${pid}`, JobPage);
    const runJob = jobs.items.find((j) => j.subject_id === run_id);
    expect(runJob).toMatchObject({ status: 'interrupted', resumable: true, total: EPOCHS });

    const resumed = await api(server, 'POST', `${runPath}/resume`, RunStarted);
    expect(['pending', 'running']).toContain(resumed.status);
    let final: Run;
    for (;;) {
      final = await api(server, 'GET', runPath, Run);
      if (final.status === 'completed') break;
      expect(['pending', 'running'], final.message ?? '').toContain(final.status);
      await sleep(100);
    }
    expect(final.metrics.history.map((m) => m.epoch)).toEqual(
      Array.from({ length: EPOCHS }, (_, i) => i + 1),
    );
    expect(final.metrics.history.slice(0, before.length)).toEqual(before);
    expect(final.checkpoints.last?.epoch).toBe(EPOCHS);
    // The resume was a job of its own, which completed.
    const after2 = await api(server, 'GET', `/api/jobs?kind=training&project_id=${pid}`, JobPage);
    const resumedJob = after2.items.find((j) => j.subject_id === run_id && j.id !== runJob?.id);
    expect(Job.parse(resumedJob)).toMatchObject({ status: 'completed', done: EPOCHS });

    const { run_id: ref } = await api(
      server,
      'POST',
      `/api/training/${pid}/experiments/${exp.id}/run`,
      RunStarted,
    );
    let refRun: Run;
    for (;;) {
      refRun = await api(server, 'GET', `/api/training/${pid}/runs/${ref}`, Run);
      if (refRun.status === 'completed') break;
      await sleep(100);
    }
    // Same seed, same data, never interrupted: the resumed run ended exactly where this one does.
    const learned = (h: readonly EpochMetrics[]) =>
      h.map(({ epoch, loss, lr, accuracy, val_loss, val_accuracy }) => ({
        epoch,
        loss,
        lr,
        accuracy,
        val_loss,
        val_accuracy,
      }));
    expect(learned(final.metrics.history)).toEqual(learned(refRun.metrics.history));

    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
