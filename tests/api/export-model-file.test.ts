// The bare model of an ONNX export (`…/download?file=model.onnx`), over HTTP against a real
// workstation and the real trainer: the same bytes as the ZIP's model.onnx, run in
// onnxruntime-node; 4xx for a file the API does not offer or a format without it; gone with the
// export; described in /openapi.json.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Export } from '../../src-shared/contract/export.js';
import { expectError, okData, openTestApp, type TestApp } from './helpers/test-app.js';
import { sleep, trainTinyRun } from './training-helpers.js';

let t: TestApp;
let pid: string;
let expId: string;
let runId: string;

const base = () => `/api/export/${pid}`;

async function exported(format: 'onnx' | 'tfjs'): Promise<Export> {
  const created = okData(
    await request(t.app)
      .post(base())
      .send({ experiment_id: expId, run_id: runId, checkpoint: 'best', format }),
    Export,
  );
  for (;;) {
    const e = okData(await request(t.app).get(`${base()}/${created.export_id}`), Export);
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
const download = (url: string) => request(t.app).get(url).buffer(true).parse(binary);

beforeAll(async () => {
  t = await openTestApp();
  ({ pid, expId, runId } = await trainTinyRun(t, {
    name: 'Bare model',
    perClass: 6,
    ratios: { train: 0.67, val: 0.33, test: 0 },
  }));
});
afterAll(async () => {
  await t?.close();
});

describe('export download ?file=model.onnx', () => {
  it('is the ZIP’s model.onnx on its own, and runs in onnxruntime', async () => {
    const done = await exported('onnx');
    expect(done.status).toBe('completed');
    const bare = await download(`${done.download_url!}?file=model.onnx`);
    expect(bare.status).toBe(200);
    expect(bare.headers['content-type']).toBe('application/octet-stream');
    expect(bare.headers['content-disposition']).toMatch(/^attachment; filename="?model\.onnx"?$/);
    const bytes = bare.body as Buffer;
    const zip = unzipSync(new Uint8Array((await download(done.download_url!)).body as Buffer));
    expect(Buffer.compare(bytes, Buffer.from(zip['model.onnx']!))).toBe(0);

    const session = await ort.InferenceSession.create(new Uint8Array(bytes));
    const out = await session.run({
      input: new ort.Tensor('float32', new Float32Array(256).fill(0.25), [1, 1, 16, 16]),
    });
    await session.release();
    const probs = out.output!.data as Float32Array;
    expect(probs).toHaveLength(2);
    expect(probs[0]! + probs[1]!).toBeCloseTo(1, 5);

    // Asked again: the same bytes (kept beside the ZIP after the first request).
    expect(
      Buffer.compare((await download(`${done.download_url!}?file=model.onnx`)).body, bytes),
    ).toBe(0);
    const exportsDir = path.join(t.workspaceDir, 'projects', pid, 'exports');
    expect(await readdir(exportsDir)).toContain(`${done.export_id}.model.onnx`);

    // Deleting the export deletes the bare model too.
    await request(t.app).delete(`${base()}/${done.export_id}`).expect(200);
    expect((await readdir(exportsDir)).filter((n) => n.startsWith(done.export_id))).toEqual([]);
    expectError(
      await request(t.app).get(`${done.download_url!}?file=model.onnx`),
      404,
      'not_found',
    );
  });

  it('refuses a file the API does not offer, and model.onnx of a non-ONNX export, with a 400', async () => {
    const onnx = await exported('onnx');
    for (const file of ['weights.bin', 'metadata.json', '../model.onnx', '']) {
      const res = await request(t.app).get(onnx.download_url!).query({ file });
      expectError(res, 400, 'validation_error');
    }
    const tfjs = await exported('tfjs');
    expect(tfjs.status).toBe('completed');
    const refused = expectError(
      await request(t.app).get(`${tfjs.download_url!}?file=model.onnx`),
      400,
      'bad_request',
    );
    expect(refused.error.message).toContain('tfjs export');
    const exportsDir = path.join(t.workspaceDir, 'projects', pid, 'exports');
    expect(await readdir(exportsDir)).not.toContain(`${tfjs.export_id}.model.onnx`);
  });

  it('is in the OpenAPI document: the `file` query and both content types', async () => {
    const doc = (await request(t.app).get('/openapi.json')).body as {
      paths: Record<string, Record<string, OpenApiOperation>>;
    };
    const op = doc.paths['/api/export/{project_id}/{export_id}/download']?.get;
    const file = op?.parameters?.find((p) => p.name === 'file');
    expect(file).toMatchObject({ in: 'query', required: false, schema: { enum: ['model.onnx'] } });
    expect(Object.keys(op?.responses?.['200']?.content ?? {}).sort()).toEqual([
      'application/octet-stream',
      'application/zip',
    ]);
  });
});

interface OpenApiOperation {
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  responses?: Record<string, { content?: Record<string, unknown> }>;
}
