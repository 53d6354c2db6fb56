// /upload as a lab script drives it: a refused file leaves the trained state as it was, pickles
// built to be slow are read off the event loop (another request is answered meanwhile), and no
// staged file is left behind. Pickles are written by real Python + numpy.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from './helpers/test-app.js';

const GEN = String.raw`
import pickle, struct, sys, os, numpy as np
out = sys.argv[1]
def dump(name, obj):
    with open(os.path.join(out, name), 'wb') as f: pickle.dump(obj, f, protocol=4)
rng = np.random.default_rng(3)
X = rng.random((200, 5)); y = X @ np.array([1.0, 2.0, -1.0, 0.5, 3.0])
meta = {'feature_names': ['a', 'b', 'c', 'd', 'e'], 'target_name': 't'}
dump('good.pkl', {'X': X, 'y': y, 'metadata': meta})
# Loads and passes the shape checks, but one column name is longer than a CSV header cell may be.
dump('long-name.pkl', {'X': X, 'y': y, 'metadata': {'feature_names': ['a' * 70_000, 'b', 'c', 'd', 'e'], 'target_name': 't'}})
dump('x-3d.pkl', {'X': np.zeros((12, 5, 2)), 'y': np.zeros(12), 'metadata': meta})
n = 300_000
open(os.path.join(out, 'long.pkl'), 'wb').write(b'\x80\x04\x8b' + struct.pack('<I', n) + b'\x7f' * n + b'.')
names = ['feature_with_a_long_name'] * 165_000
dump('names.pkl', {'X': [[0] * 165_000] * 10, 'y': list(range(10)), 'metadata': {'feature_names': names, 'target_name': 't'}})
`;

let t: TestApp;
const file = (name: string): Buffer => readFileSync(path.join(t.root, name));
const upload = (name: string) => request(t.app).post('/upload').attach('file', file(name), name);
const state = async () => (await request(t.app).get('/api/regression/state')).body.data;
const predict = async () =>
  (
    await request(t.app)
      .post('/predict')
      .send({ inputs: [0.1, 0.2, 0.3, 0.4, 0.5] })
  ).body;

beforeAll(async () => {
  t = await openTestApp();
  execFileSync('/usr/bin/python3', ['-c', GEN, t.root]);
});
afterAll(async () => {
  await t.close();
});

describe('regression uploads', () => {
  it('a refused upload leaves the previous dataset and trained model untouched', async () => {
    expect((await upload('good.pkl')).status).toBe(200);
    const train = await request(t.app)
      .post('/train')
      .send({ epochs: 2, hidden_layers: [4] });
    expect(train.status).toBe(200);
    const before = await state();
    const prediction = await predict();
    expect(prediction.status).toBe('success');

    const longName = await upload('long-name.pkl');
    expect(longName.status).toBe(422);
    expect(longName.body).toEqual({
      status: 'error',
      message: 'Data preprocessing failed: column name 1 is 70000 characters long, at most 1000',
    });
    const shape = await upload('x-3d.pkl');
    expect(shape.status).toBe(422);
    expect(shape.body.message).toBe(
      'Data preprocessing failed: X has shape (12, 5, 2); expected (n_samples, n_features), e.g. (n_samples, 5)',
    );

    const after = await state();
    expect(after.dataset).toEqual(before.dataset);
    expect(after.model).toEqual(before.model);
    expect(await predict()).toEqual(prediction);
    expect((await request(t.app).get('/outputs/model.pkl')).status).toBe(200);
    const project = (await request(t.app).get(`/api/projects/${after.project_id}`)).body.data;
    expect(project).toMatchObject({ item_count: 1, split_count: 1 });
    // The dataset itself is still there to train on.
    const again = await request(t.app)
      .post('/train')
      .send({ epochs: 1, hidden_layers: [4] });
    expect(again.status).toBe(200);
  });

  it('an upload while a run of the project trains is refused before anything moves', async () => {
    const before = await state();
    const api = `/api/training/${before.project_id}`;
    const exp = await request(t.app)
      .post(`${api}/experiments`)
      .send({
        name: 'long',
        config: { architecture: 'mlp', hidden_layers: [4], epochs: 10_000, batch_size: 8 },
      });
    expect(exp.status, JSON.stringify(exp.body)).toBe(200);
    const run = await request(t.app).post(`${api}/experiments/${exp.body.data.id}/run`);
    expect(run.status).toBe(200);
    const refused = await upload('good.pkl');
    expect(refused.status).toBe(409);
    expect(refused.body.status).toBe('error');
    expect(refused.body.message).toMatch(/replace the regression dataset/);
    await request(t.app).post(`${api}/runs/${run.body.data.run_id}/stop`).expect(200);
    const after = await state();
    expect(after.dataset).toEqual(before.dataset);
    expect(after.model).toEqual(before.model);
    expect((await request(t.app).get('/outputs/model.pkl')).status).toBe(200);
    await request(t.app).delete(`${api}/experiments/${exp.body.data.id}`).expect(200);
  });

  it.each([
    ['long.pkl', /^Data preprocessing failed: the pickle must hold a dict/],
    ['names.pkl', /^Data preprocessing failed: X would hold 10 × 165000 values/],
  ])('%s is read off the event loop: another request is answered first', async (name, why) => {
    const order: string[] = [];
    const pending = upload(name).then((r) => {
      order.push('upload');
      return r;
    });
    // Sent after the upload: answered before it only if the upload does not hold the event loop.
    await new Promise((r) => setImmediate(r));
    const health = await request(t.app).get('/health');
    order.push('health');
    expect(health.status).toBe(200);
    const res = await pending;
    expect(order).toEqual(['health', 'upload']);
    expect(res.status).toBe(422);
    expect(res.body.status).toBe('error');
    expect(res.body.message).toMatch(why);
  });

  it('leaves no staged file behind, accepted or refused', () => {
    const tmp = path.join(t.workspaceDir, 'tmp');
    const left = readdirSync(tmp).filter(
      (f) => f.startsWith('upload-') || f.includes('regression'),
    );
    expect(left).toEqual([]);
  });

  it('the service refuses a path outside the workspace tmp folder and leaves it alone', async () => {
    const outside = path.join(t.root, 'good.pkl');
    await expect(
      t.ws.regression.upload({ path: outside, filename: 'good.pkl', targetColumn: null }),
    ).rejects.toThrow(/tmp folder/);
    expect(readFileSync(outside).length).toBeGreaterThan(0);
  });
});
