// Section 6 of the API reference over HTTP, against a real workstation and the real trainer: a
// run trained for two tiny epochs, exported to ONNX and TensorFlow.js, downloaded, checked with
// onnxruntime-node, deleted; and the 4xx answers for bad input, with nothing written for them.
import { cp, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Export, ExportFormat } from '../../src-shared/contract/export.js';
import { Experiment } from '../../src-shared/contract/training.js';
import { expectError, okData, openTestApp, type TestApp } from './helpers/test-app.js';
import { sleep, tinyConfig, trainTinyRun } from './training-helpers.js';

let t: TestApp;
let pid: string;
let expId: string;
let runId: string;

const base = () => `/api/export/${pid}`;

async function waitExport(id: string): Promise<Export> {
  for (;;) {
    const e = okData(await request(t.app).get(`${base()}/${id}`), Export);
    if (e.status === 'completed' || e.status === 'failed') return e;
    await sleep(25);
  }
}

/** Collects a binary body (supertest buffers only text by default). */
const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void): void => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

beforeAll(async () => {
  t = await openTestApp();
  ({ pid, expId, runId } = await trainTinyRun(t, {
    name: 'Export',
    perClass: 6,
    ratios: { train: 0.67, val: 0.33, test: 0 },
  }));
});
afterAll(async () => {
  await t?.close();
});

describe('export API', () => {
  it('lists the formats', async () => {
    const formats = okData(await request(t.app).get('/api/export/formats'), z.array(ExportFormat));
    expect(formats.map((f) => f.name)).toEqual(['onnx', 'tfjs']);
    expect(formats[0]!.options).toHaveProperty('opset_version');
  });

  it('exports to ONNX, downloads a ZIP whose model runs in onnxruntime, lists and deletes it', async () => {
    const created = okData(
      await request(t.app)
        .post(base())
        .send({
          experiment_id: expId,
          run_id: runId,
          checkpoint: 'best',
          format: 'onnx',
          options: {
            opset_version: 17,
            input_shape: [1, 1, 16, 16],
            dynamic_axes: { input: { '0': 'batch_size' }, output: { '0': 'batch_size' } },
            simplify: true,
          },
        }),
      Export,
    );
    expect(created).toMatchObject({ status: 'pending', format: 'onnx', download_url: null });
    expect(created.export_id).toMatch(/^xpt-[0-9a-f]{8}$/);
    const done = await waitExport(created.export_id);
    expect(done).toMatchObject({
      status: 'completed',
      download_url: `${base()}/${created.export_id}/download`,
    });
    expect(done.size_bytes).toBeGreaterThan(0);

    const res = await request(t.app).get(done.download_url!).buffer(true).parse(binary);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain(`${runId}-best-onnx.zip`);
    const zip = unzipSync(new Uint8Array(res.body as Buffer));
    expect(Object.keys(zip).sort()).toEqual(['README.md', 'metadata.json', 'model.onnx']);
    const meta = JSON.parse(strFromU8(zip['metadata.json']!)) as {
      classes: string[];
      input: { shape: unknown[] };
    };
    expect(meta).toMatchObject({
      classes: ['left', 'right'],
      input: { shape: ['batch_size', 1, 16, 16] },
    });
    const session = await ort.InferenceSession.create(zip['model.onnx']!);
    const out = await session.run({
      input: new ort.Tensor('float32', new Float32Array(2 * 256).fill(0.5), [2, 1, 16, 16]),
    });
    await session.release();
    const probs = out.output!.data as Float32Array;
    expect(probs).toHaveLength(4);
    expect(probs[0]! + probs[1]!).toBeCloseTo(1, 5);

    const list = okData(await request(t.app).get(base()), z.array(Export));
    expect(list.map((e) => e.export_id)).toContain(created.export_id);
    const deleted = await request(t.app).delete(`${base()}/${created.export_id}`);
    expect(okData(deleted, z.object({ deleted: z.literal(true), id: z.string() })).id).toBe(
      created.export_id,
    );
    expectError(await request(t.app).get(`${base()}/${created.export_id}`), 404, 'not_found');
    expectError(await request(t.app).get(done.download_url!), 404, 'not_found');
  });

  it('exports the TensorFlow.js layers format from the last checkpoint', async () => {
    const created = okData(
      await request(t.app)
        .post(base())
        .send({ experiment_id: expId, run_id: runId, checkpoint: 'last', format: 'tfjs' }),
      Export,
    );
    const done = await waitExport(created.export_id);
    expect(done.status).toBe('completed');
    const res = await request(t.app).get(done.download_url!).buffer(true).parse(binary);
    const zip = unzipSync(new Uint8Array(res.body as Buffer));
    expect(Object.keys(zip).sort()).toEqual([
      'README.md',
      'metadata.json',
      'model/model.json',
      'model/weights.bin',
    ]);
  });

  it('refuses bad input with 4xx and writes nothing for it', async () => {
    const body = { experiment_id: expId, run_id: runId };
    const exportsDir = path.join(t.workspaceDir, 'projects', pid, 'exports');
    const before = await readdir(exportsDir).catch(() => []);
    const countBefore = okData(await request(t.app).get(base()), z.array(Export)).length;
    const unknown = expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, format: 'pt' }),
      400,
      'bad_request',
    );
    expect(unknown.error.message).toContain('onnx, tfjs');
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, format: 'onnx', options: { opset_version: 9 } }),
      400,
      'bad_request',
    );
    const shape = expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, format: 'onnx', options: { input_shape: [1, 3, 224, 224] } }),
      422,
      'unprocessable',
    );
    expect(shape.error.message).toContain('[N, 1, 16, 16]');
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, format: 'tfjs', options: { simplify: true } }),
      400,
      'bad_request',
    );
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, run_id: 'run-00000000', format: 'onnx' }),
      404,
      'not_found',
    );
    expectError(
      await request(t.app)
        .post(base())
        .send({ ...body, checkpoint: 'middle', format: 'onnx' }),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app)
        .post('/api/export/proj-00000000')
        .send({ ...body, format: 'onnx' }),
      404,
      'not_found',
    );
    expectError(await request(t.app).get(`${base()}/xpt-00000000/download`), 404, 'not_found');
    expect(okData(await request(t.app).get(base()), z.array(Export))).toHaveLength(countBefore);
    expect(await readdir(exportsDir).catch(() => [])).toEqual(before);
  });

  it('refuses a run of another experiment (404) and a run without the checkpoint (422)', async () => {
    const exp = okData(
      await request(t.app)
        .post(`/api/training/${pid}/experiments`)
        .send({ name: 'idle', split_index: 0, config: tinyConfig() }),
      Experiment,
    );
    // The run belongs to another experiment: 404.
    expectError(
      await request(t.app)
        .post(base())
        .send({ experiment_id: exp.id, run_id: runId, format: 'onnx' }),
      404,
      'not_found',
    );
    const runDir = path.join(t.workspaceDir, 'projects', pid, 'runs', runId, 'checkpoints');
    const saved = path.join(t.root, 'saved-checkpoints');
    await cp(runDir, saved, { recursive: true });
    await rm(path.join(runDir, 'best'), { recursive: true, force: true });
    const err = expectError(
      await request(t.app)
        .post(base())
        .send({ experiment_id: expId, run_id: runId, format: 'onnx' }),
      422,
      'unprocessable',
    );
    expect(err.error.message).toContain('no best checkpoint');
    await cp(saved, runDir, { recursive: true });
  });

  it('deleting the project while an export is queued leaves no project folder behind', async () => {
    const created = okData(
      await request(t.app)
        .post(base())
        .send({ experiment_id: expId, run_id: runId, format: 'onnx' }),
      Export,
    );
    expect(created.status).toBe('pending');
    await request(t.app).delete(`/api/projects/${pid}`).expect(200);
    await sleep(100);
    expect(await readdir(path.join(t.workspaceDir, 'projects'))).not.toContain(pid);
  });
});
