// `kill -9` of the server with a job of every task and driven kind in flight, then a restart on
// the same workspace: the one recovery path at start-up marks each job interrupted or resumes it
// as its kind declares, and nothing is lost or left half-written. (Training runs have their own
// crash test, training-crash.test.ts, which resumes one to the same metrics.)
import { readdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetInfo } from '../../src-shared/contract/datasets.js';
import { Evaluation } from '../../src-shared/contract/evaluation.js';
import { Export } from '../../src-shared/contract/export.js';
import { Job, JobPage, importResultOf } from '../../src-shared/contract/jobs.js';
import { Run, RunStarted } from '../../src-shared/contract/training.js';
import { api, killHard, startServer, type ServerProcess } from './helpers/server-process.js';
import { sleep, tinyConfig, writeImageDataset } from './training-helpers.js';

let root: string;
const servers: ServerProcess[] = [];
const Id = z.object({ id: z.string() });

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-jobs-crash-'));
});
afterAll(async () => {
  for (const s of servers) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await s.exited;
  }
  await rm(root, { recursive: true, force: true });
});

const getJob = (s: ServerProcess, id: string) => api(s, 'GET', `/api/jobs/${id}`, Job);
const jobsOf = (s: ServerProcess, kind: string) =>
  api(s, 'GET', `/api/jobs?kind=${kind}&page_size=1000`, JobPage).then((p) => p.items);

async function until<T>(probe: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    await sleep(25);
  }
}

async function importFolder(s: ServerProcess, pid: string, folder: string): Promise<string> {
  const { job_id } = await api(
    s,
    'POST',
    `/api/datasets/${pid}/import/local`,
    z.object({ job_id: z.string() }),
    { path: folder },
  );
  return job_id;
}

describe('a server killed with jobs of every kind in flight', () => {
  it('marks each interrupted or resumes it, as its kind declares, with nothing half-written', async () => {
    const workspace = path.join(root, 'ws');
    const small = path.join(root, 'small');
    const big = path.join(root, 'big');
    await writeImageDataset(small, 6, ['left', 'right'], 16);
    await writeImageDataset(big, 150, ['left', 'right', 'top'], 64);
    // Task jobs wait (the test hook) before working, so the kill lands while they are in flight.
    let s = await startServer(workspace, { ASSAY_TEST_TASK_HOLD_MS: '600000' });
    servers.push(s);

    // A trained run to evaluate and export.
    const pid = (await api(s, 'POST', '/api/projects', Id, { name: 'p', task: 'classification' }))
      .id;
    const first = await importFolder(s, pid, small);
    await until(async () => ((await getJob(s, first)).status === 'completed' ? true : undefined));
    await api(s, 'POST', `/api/splits/${pid}`, z.unknown(), {
      name: 'main',
      ratios: { train: 0.5, val: 0.25, test: 0.25 },
    });
    const exp = await api(s, 'POST', `/api/training/${pid}/experiments`, Id, {
      name: 'tiny',
      split_index: 0,
      config: tinyConfig({ epochs: 1 }),
    });
    const { run_id } = await api(
      s,
      'POST',
      `/api/training/${pid}/experiments/${exp.id}/run`,
      RunStarted,
    );
    await until(async () => {
      const run = await api(s, 'GET', `/api/training/${pid}/runs/${run_id}`, Run);
      return run.status === 'completed' ? run : undefined;
    });
    const ev = await api(s, 'POST', `/api/evaluation/${pid}`, Evaluation, {
      experiment_id: exp.id,
      run_id,
      checkpoint: 'best',
    });
    const xp = await api(s, 'POST', `/api/export/${pid}`, Export, {
      experiment_id: exp.id,
      run_id,
      checkpoint: 'best',
      format: 'onnx',
    });

    // A regression training, several epochs in.
    const rows = ['a,b,target'];
    for (let i = 0; i < 400; i++) rows.push(`${i % 9},${(i * 7) % 5},${(i % 9) - ((i * 7) % 5)}`);
    const form = new FormData();
    form.append('target_column', 'target');
    form.append('file', new Blob([rows.join('\n')]), 'table.csv');
    expect((await fetch(`${s.base}/upload`, { method: 'POST', body: form })).status).toBe(200);
    void fetch(`${s.base}/train`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ epochs: 5000, hidden_layers: [8], batch_size: 4 }),
    }).catch(() => undefined); // the server dies under it
    const regression = await until(async () =>
      (await jobsOf(s, 'regression-training')).find((j) => j.status === 'running' && j.done >= 1),
    );

    // And an import, some files in.
    const pid2 = (await api(s, 'POST', '/api/projects', Id, { name: 'q', task: 'classification' }))
      .id;
    const bigJob = await importFolder(s, pid2, big);
    const seenImport = await until(async () => {
      const j = await getJob(s, bigJob);
      expect(j.status).not.toBe('completed');
      return j.status === 'running' && j.done > 0 ? j : undefined;
    });
    const evalJob = (await jobsOf(s, 'evaluation')).find((j) => j.subject_id === ev.eval_id);
    const exportJob = (await jobsOf(s, 'export')).find((j) => j.subject_id === xp.export_id);
    expect(evalJob?.status).toBe('running');
    expect(exportJob?.status).toBe('pending');
    expect(seenImport.done).toBeLessThan(450);

    await killHard(s);
    s = await startServer(workspace);
    servers.push(s);

    // Import (not resumable): interrupted; every item its job counted is in the dataset.
    const imp = await getJob(s, bigJob);
    expect(imp).toMatchObject({ status: 'interrupted', resumable: false });
    expect(imp.error).toMatch(/interrupted/);
    const info = await api(s, 'GET', `/api/datasets/${pid2}`, DatasetInfo);
    const counted = importResultOf(imp);
    expect(info.total_items).toBe(counted?.imported);
    expect(info.active_job_id).toBeNull();
    const tmp = await readdir(path.join(workspace, 'tmp')).catch(() => [] as string[]);
    expect(tmp.filter((n) => n.startsWith('import-'))).toEqual([]);

    // Regression training (not resumable): interrupted, its run too; no model was written.
    expect(await getJob(s, regression.id)).toMatchObject({ status: 'interrupted' });
    const regTraining = (await jobsOf(s, 'training')).filter(
      (j) => j.project_id === regression.project_id,
    );
    expect(regTraining.map((j) => j.status)).toEqual(['interrupted']);
    const regRun = await api(
      s,
      'GET',
      `/api/training/${regression.project_id}/runs/${String(regTraining[0]?.subject_id)}`,
      Run,
    );
    expect(regRun.status).toBe('interrupted');
    expect((await fetch(`${s.base}/outputs/model.pkl`)).status).toBe(404);

    // Evaluation and export (resumable): run again from their inputs, to completion.
    const evalEnd = await until(async () => {
      const j = await getJob(s, evalJob?.id ?? '');
      return j.status === 'running' || j.status === 'pending' ? undefined : j;
    });
    expect(evalEnd).toMatchObject({ status: 'completed', error: null });
    expect(evalEnd.message).toBe('completed');
    const evaluated = await api(s, 'GET', `/api/evaluation/${pid}/${ev.eval_id}`, Evaluation);
    expect(evaluated).toMatchObject({ status: 'completed', item_count: ev.item_count });
    const exportEnd = await until(async () => {
      const j = await getJob(s, exportJob?.id ?? '');
      return j.status === 'running' || j.status === 'pending' ? undefined : j;
    });
    expect(exportEnd.status).toBe('completed');
    const exported = await api(s, 'GET', `/api/export/${pid}/${xp.export_id}`, Export);
    expect(exported.status).toBe('completed');
    const zip = await fetch(`${s.base}${exported.download_url}`);
    expect(zip.status).toBe(200);
    expect(
      Buffer.from(await zip.arrayBuffer())
        .subarray(0, 2)
        .toString(),
    ).toBe('PK');
    const exportsDir = await readdir(path.join(workspace, 'projects', pid, 'exports'));
    expect(exportsDir.filter((n) => n.endsWith('.tmp'))).toEqual([]);

    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});
