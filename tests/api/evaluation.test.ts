// Section 5 of the API reference over HTTP, against a real workstation and the real trainer: a
// run trained for one tiny epoch, evaluated on its split's subsets; metrics checked against the
// per-item results; paging, sorting and filters; delete; and the 4xx answers for bad input.
import { readdir, rm, cp } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EvalResultsPage, Evaluation } from '../../src-shared/contract/evaluation.js';
import { expectError, okData, openTestApp, type TestApp } from './helpers/test-app.js';
import { sleep, trainTinyRun } from './training-helpers.js';

let t: TestApp;
let pid: string;
let expId: string;
let runId: string;

const base = () => `/api/evaluation/${pid}`;

async function waitEval(id: string): Promise<Evaluation> {
  for (;;) {
    const e = okData(await request(t.app).get(`${base()}/${id}`), Evaluation);
    if (e.status === 'completed' || e.status === 'failed') return e;
    await sleep(25);
  }
}

const results = async (id: string, query = '') =>
  okData(await request(t.app).get(`${base()}/${id}/results${query}`), EvalResultsPage);

beforeAll(async () => {
  t = await openTestApp();
  ({ pid, expId, runId } = await trainTinyRun(t, {
    name: 'Evaluate',
    perClass: 8,
    ratios: { train: 0.5, val: 0.25, test: 0.25 },
  }));
});
afterAll(async () => {
  await t?.close();
});

describe('evaluation API', () => {
  it('evaluates the train subset: metrics agree with the per-item results; paging, sorting, filters', async () => {
    const created = okData(
      await request(t.app).post(base()).send({
        experiment_id: expId,
        run_id: runId,
        checkpoint: 'best',
        split_index: 0,
        split_subset: 'train',
        batch_size: 3,
      }),
      Evaluation,
    );
    expect(created).toMatchObject({ status: 'pending', kind: 'classification', item_count: 8 });
    expect(created.eval_id).toMatch(/^eval-[0-9a-f]{8}$/);
    const done = await waitEval(created.eval_id);
    expect(done.status).toBe('completed');
    const metrics = done.metrics as {
      confusion_matrix: number[][];
      accuracy: number;
      count: number;
      per_class: { class: string; support: number }[];
    };
    expect(metrics.count).toBe(8);
    expect(metrics.per_class.map((c) => [c.class, c.support])).toEqual([
      ['left', 4],
      ['right', 4],
    ]);

    const all = await results(done.eval_id, '?page_size=100');
    expect(all.total).toBe(8);
    const names = ['left', 'right'];
    const cm = [
      [0, 0],
      [0, 0],
    ];
    for (const r of all.items)
      cm[names.indexOf(r.true_label!)]![names.indexOf(r.predicted_label!)]! += 1;
    expect(metrics.confusion_matrix).toEqual(cm);
    expect(metrics.accuracy).toBeCloseTo(all.items.filter((r) => r.correct).length / 8, 12);
    expect(all.items.map((r) => r.filename)).toEqual([...all.items.map((r) => r.filename)].sort());

    const page2 = await results(done.eval_id, '?page=2&page_size=3');
    expect(page2).toMatchObject({ page: 2, page_size: 3, total: 8, total_pages: 3 });
    expect(page2.items.map((r) => r.filename)).toEqual(
      all.items.slice(3, 6).map((r) => r.filename),
    );
    const byError = await results(done.eval_id, '?sort_by=error&page_size=100');
    const errors = byError.items.map((r) => r.error);
    expect(errors).toEqual([...errors].sort((a, b) => b - a));
    const byConfidence = await results(done.eval_id, '?sort_by=confidence&page_size=100');
    const conf = byConfidence.items.map((r) => r.confidence!);
    expect(conf).toEqual([...conf].sort((a, b) => a - b));
    const lefts = await results(done.eval_id, '?filter_class=left&page_size=100');
    expect(lefts.total).toBe(4);
    expect(lefts.items.every((r) => r.true_label === 'left')).toBe(true);
    const wrong = await results(done.eval_id, '?filter_correct=false&page_size=100');
    expect(wrong.total).toBe(all.items.filter((r) => r.correct === false).length);
    expect(wrong.items.every((r) => r.correct === false)).toBe(true);
    // One confusion-matrix cell per (true, predicted) pair, as the Evaluation screen opens it:
    // the cells partition the items and each holds exactly its pairs.
    let cells = 0;
    for (const truth of ['left', 'right']) {
      for (const predicted of ['left', 'right']) {
        const q = `?filter_class=${truth}&filter_predicted=${predicted}&page_size=100`;
        const cell = await results(done.eval_id, q);
        const expected = all.items.filter(
          (r) => r.true_label === truth && r.predicted_label === predicted,
        );
        expect(cell.items.map((r) => r.filename).sort()).toEqual(
          expected.map((r) => r.filename).sort(),
        );
        cells += cell.total;
      }
    }
    expect(cells).toBe(all.total);
    const none = await results(done.eval_id, '?filter_predicted=nosuchclass');
    expect(none).toMatchObject({ total: 0, items: [] });

    const list = okData(await request(t.app).get(base()), z.array(Evaluation));
    expect(list.map((e) => e.eval_id)).toContain(done.eval_id);
    const deleted = await request(t.app).delete(`${base()}/${done.eval_id}`);
    expect(okData(deleted, z.object({ deleted: z.literal(true), id: z.string() })).id).toBe(
      done.eval_id,
    );
    expectError(await request(t.app).get(`${base()}/${done.eval_id}`), 404, 'not_found');
    expectError(await request(t.app).get(`${base()}/${done.eval_id}/results`), 404, 'not_found');
  });

  it('defaults to the experiment split and the test subset, from the last checkpoint', async () => {
    const created = okData(
      await request(t.app)
        .post(base())
        .send({ experiment_id: expId, run_id: runId, checkpoint: 'last' }),
      Evaluation,
    );
    expect(created).toMatchObject({
      split_index: 0,
      split_subset: 'test',
      batch_size: 32,
      item_count: 4,
    });
    const end = await waitEval(created.eval_id);
    expect(end.status, end.message ?? '').toBe('completed');
  });

  it('refuses bad input with 4xx and stores nothing for it', async () => {
    const body = { experiment_id: expId, run_id: runId };
    const before = okData(await request(t.app).get(base()), z.array(Evaluation)).length;
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, split_index: 7 }),
      404,
      'not_found',
    );
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, run_id: 'run-00000000' }),
      404,
      'not_found',
    );
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, split_subset: 'none' }),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, batch_size: 0 }),
      400,
      'validation_error',
    );
    expectError(await request(t.app).get(`${base()}/eval-00000000`), 404, 'not_found');
    expectError(await request(t.app).get(`${base()}/eval-1/results`), 400, 'validation_error');
    // A run without the checkpoint asked for: 422, nothing stored.
    const root = path.join(t.workspaceDir, 'projects', pid, 'runs', runId, 'checkpoints');
    const saved = path.join(t.root, 'saved-checkpoints');
    await cp(root, saved, { recursive: true });
    await rm(path.join(root, 'best'), { recursive: true, force: true });
    const err = expectError(await request(t.app).post(base()).send(body), 422, 'unprocessable');
    expect(err.error.message).toContain('no best checkpoint');
    await cp(saved, root, { recursive: true });
    expect(okData(await request(t.app).get(base()), z.array(Evaluation))).toHaveLength(before);
    const evalDir = path.join(t.workspaceDir, 'projects', pid, 'evaluations');
    expect((await readdir(evalDir).catch(() => [])).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});
