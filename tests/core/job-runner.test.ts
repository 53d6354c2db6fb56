// The job runner on its own, with a real store and the real task thread: a kind declared here
// (its module a test fixture) gets progress, ETA, its end recorded, cancel, failure, queueing,
// and the one start-up recovery (resume for tasks that rebuild their output, interrupted else).
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/contract/jobs.js';
import type { JobKindDecl, TaskEnd } from '../../src-main/core/jobs/job-kind.js';
import { JobRunner } from '../../src-main/core/jobs/job-runner.js';
import type { ServiceContext } from '../../src-main/core/services/context.js';
import { JobEvents } from '../../src-main/core/services/job-events.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openStore } from '../../src-main/core/store/index.js';
import { DEFAULT_IMPORT_LIMITS } from '../../src-main/core/workspace/import-types.js';
import { ensureWorkspace } from '../../src-main/core/workspace/layout.js';
import type { CountInput } from '../fixtures/count-task.js';

const MODULE = pathToFileURL(join(import.meta.dirname, '../fixtures/count-task.ts')).href;
const P = 'proj-00000001';

let dir: string;
let ctx: ServiceContext;
let events: JobEvents;
const runners: JobRunner[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'assay-runner-'));
  const layout = await ensureWorkspace(dir);
  const store = openStore(layout.dbPath);
  store.projects.insert({ id: P, name: 'p', task: 'classification', createdAt: 't' });
  ctx = {
    store,
    layout,
    limits: DEFAULT_IMPORT_LIMITS,
    logger: silentLogger,
    version: 't',
    now: () => new Date(),
  };
  events = new JobEvents(silentLogger);
});
afterEach(async () => {
  for (const r of runners.splice(0)) await r.close();
  ctx.store.close();
  await rm(dir, { recursive: true, force: true });
});

interface Seen {
  started: string[];
  ended: TaskEnd<{ counted: number; thread_id: number }>[];
  cleaned: string[];
  recovered: string[][];
}

/** A task kind declared the way services declare theirs; records what the runner calls. */
function countKind(seen: Seen): JobKindDecl<CountInput, { counted: number; thread_id: number }> {
  return {
    kind: 'evaluation',
    execution: { thread: 'task', module: MODULE },
    resumable: true,
    progressUnit: 'steps',
    cancel: 'abandon',
    crash: { after: 'resume', message: 'resumed after a restart' },
    cleanup: async (job) => void seen.cleaned.push(job.id),
    recover: (jobs) => void seen.recovered.push(jobs.map((j) => j.id)),
    started: (job) => void seen.started.push(job.id),
    finished: (_job, end) => {
      seen.ended.push(end);
      return end.ok ? { counted: end.value.counted, thread_id: end.value.thread_id } : null;
    },
  };
}

function runner(seen: Seen): JobRunner {
  const r = new JobRunner(ctx, events);
  r.declare(countKind(seen));
  runners.push(r);
  return r;
}

const fresh = (): Seen => ({ started: [], ended: [], cleaned: [], recovered: [] });

function waitEnd(id: string): Promise<Job> {
  return new Promise((resolve) => {
    const check = (): void => {
      const job = ctx.store.jobs.get(id);
      if (job && !['pending', 'running'].includes(job.status)) resolve(job);
      else setTimeout(check, 10);
    };
    check();
  });
}

describe('JobRunner', () => {
  it('runs a declared task kind on the task thread with ordered progress, an ETA and its result', async () => {
    const seen = fresh();
    const r = runner(seen);
    const job = r.submit('evaluation', {
      projectId: P,
      subjectId: 'x',
      input: { n: 5, stepMs: 30 },
    });
    expect(job).toMatchObject({ status: 'pending', resumable: true, subject_id: 'x' });
    const updates: Job[] = [];
    events.on(job.id, (j) => updates.push(j));
    const end = await waitEnd(job.id);
    expect(end).toMatchObject({ status: 'completed', done: 5, total: 5, eta_seconds: 0 });
    expect(end.result).toMatchObject({ counted: 5 });
    expect((end.result as { thread_id: number }).thread_id).toBeGreaterThan(0);
    expect(end.started_at).not.toBeNull();
    expect(end.finished_at).not.toBeNull();
    expect(seen.started).toEqual([job.id]);
    const done = updates.filter((u) => u.status === 'running').map((u) => u.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(done).toContain(3);
    expect(
      updates.some((u) => u.status === 'running' && u.done > 0 && u.eta_seconds !== null),
    ).toBe(true);
    expect(seen.cleaned).toEqual([]);
  });

  it('queues tasks in order, cancels a queued one and a running one, and records failures', async () => {
    const seen = fresh();
    const r = runner(seen);
    const a = r.submit('evaluation', {
      projectId: P,
      subjectId: 'a',
      input: { n: 400, stepMs: 10 },
    });
    const b = r.submit('evaluation', { projectId: P, subjectId: 'b', input: { n: 1, stepMs: 1 } });
    const c = r.submit('evaluation', {
      projectId: P,
      subjectId: 'c',
      input: { n: 1, stepMs: 1, fail: 'boom' },
    });
    for (;;) {
      if ((ctx.store.jobs.get(a.id)?.done ?? 0) >= 2) break;
      await new Promise((res) => setTimeout(res, 10));
    }
    expect(ctx.store.jobs.get(b.id)?.status).toBe('pending');
    expect((await r.cancel(b.id))?.status).toBe('cancelled');
    const cancelled = await r.cancel(a.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', message: 'cancelled by the user' });
    expect(cancelled?.done).toBeLessThan(400);
    const failed = await waitEnd(c.id);
    // An unexpected error is logged, not shown: the job says it could not be completed.
    expect(failed).toMatchObject({ status: 'failed', error: 'the job could not be completed' });
    expect(seen.started).toEqual([a.id, c.id]);
    expect(seen.cleaned.sort()).toEqual([a.id, b.id, c.id].sort());
    expect(seen.ended.map((e) => (e.ok ? 'ok' : e.cancelled ? 'cancelled' : 'failed'))).toEqual([
      'cancelled',
      'cancelled',
      'failed',
    ]);
    expect((await r.cancel(a.id))?.status).toBe('cancelled');
  });

  it('drives a driven kind through its control; cancel reaches the driver', async () => {
    const r = new JobRunner(ctx, events);
    runners.push(r);
    r.declare({
      kind: 'import',
      execution: { thread: 'driven', by: 'this test' },
      resumable: false,
      progressUnit: 'files',
      cancel: 'graceful',
      crash: { after: 'interrupted', message: 'interrupted' },
    });
    let asked = 0;
    const control = r.open('import', { projectId: P, total: 10, cancel: () => void asked++ });
    control.start();
    control.progress({ done: 4, total: 10 });
    expect(ctx.store.jobs.get(control.id)).toMatchObject({ status: 'running', done: 4 });
    const cancelling = r.cancel(control.id);
    expect(asked).toBe(1);
    control.finish('cancelled', { message: 'stopped' });
    expect(await cancelling).toMatchObject({ status: 'cancelled', done: 4, message: 'stopped' });
    expect(r.activeCount()).toBe(0);
  });

  it('recovers once at start-up: task jobs run again from their spec, driven ones read interrupted', async () => {
    // What a killed process leaves: a running task job (with its spec) and a running import.
    const at = new Date().toISOString();
    const base: Job = {
      id: 'job-00000001',
      kind: 'evaluation',
      project_id: P,
      status: 'running',
      done: 2,
      total: 3,
      message: 'step 2',
      result: null,
      error: null,
      eta_seconds: 4,
      resumable: true,
      subject_id: 'x',
      created_at: at,
      updated_at: at,
      started_at: at,
      finished_at: null,
    };
    ctx.store.jobs.insert(base, { n: 3, stepMs: 5 } satisfies CountInput);
    ctx.store.jobs.insert({ ...base, id: 'job-00000002', kind: 'import', resumable: false });
    const seen = fresh();
    const r = runner(seen);
    r.declare({
      kind: 'import',
      execution: { thread: 'driven', by: 'this test' },
      resumable: false,
      progressUnit: 'files',
      cancel: 'graceful',
      crash: { after: 'interrupted', message: 'interrupted: the app stopped' },
    });
    expect(await r.recover()).toEqual({ interrupted: 1, resumed: 1 });
    expect(seen.recovered).toEqual([['job-00000001']]);
    expect(seen.cleaned).toEqual(['job-00000001']);
    expect(ctx.store.jobs.get('job-00000002')).toMatchObject({
      status: 'interrupted',
      error: 'interrupted: the app stopped',
      done: 2,
    });
    const resumed = await waitEnd('job-00000001');
    expect(resumed).toMatchObject({ status: 'completed', done: 3, result: { counted: 3 } });
    expect(await r.recover()).toEqual({ interrupted: 0, resumed: 0 });
  });
});

describe('JobRunner.warmTasks', () => {
  it('loads a task module on the task thread before any task asks for it, and the task then runs it', async () => {
    const marker = join(dir, 'warm-marker');
    process.env['ASSAY_TEST_WARM_MARKER'] = marker;
    const warmModule = pathToFileURL(join(import.meta.dirname, '../fixtures/warm-marker-task.ts'));
    try {
      const r = runner(fresh());
      r.warmTasks([warmModule.href]);
      // The marker appears only if warming imported the module: no task has run.
      let written: string | null = null;
      for (let i = 0; i < 500 && written === null; i++) {
        written = await readFile(marker, 'utf8').catch(() => null);
        if (written === null) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(written).not.toBeNull();
      const out = await r.execute<{ loadedAt: number }>(warmModule.href, {});
      // The same module instance: loaded once, by the warm-up.
      expect(out.loadedAt).toBe(Number(written));
      // A module that cannot load does not break the thread; its first task reports why.
      r.warmTasks([pathToFileURL(join(dir, 'missing-task.ts')).href]);
      await expect(
        r.execute(pathToFileURL(join(dir, 'missing-task.ts')).href, {}),
      ).rejects.toThrow();
      expect((await r.execute<{ loadedAt: number }>(warmModule.href, {})).loadedAt).toBe(
        Number(written),
      );
    } finally {
      delete process.env['ASSAY_TEST_WARM_MARKER'];
    }
  });
});
