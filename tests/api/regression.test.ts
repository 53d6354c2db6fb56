import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  RegressionTrainResponse,
  RegressionUploadResponse,
} from '../../src-shared/contract/regression.js';
import { openTestApp, type TestApp } from './helpers/test-app.js';

// Friedman #1 written by real Python + numpy: the pickle a lab script already has, and its peers.
const GEN = String.raw`
import pickle, sys, os, numpy as np
out, marker = sys.argv[1], sys.argv[2]
def friedman(n, seed):
    rng = np.random.default_rng(seed)
    X = rng.random((n, 5))
    y = 10*np.sin(np.pi*X[:,0]*X[:,1]) + 20*(X[:,2]-0.5)**2 + 10*X[:,3] + 5*X[:,4]
    return X, y + rng.normal(0, 0.1*y.std(), n)
X, y = friedman(400, 1)
meta = {'feature_names': ['x1','x2','x3','x4','x5'], 'target_name': 'y'}
with open(os.path.join(out, 'data.pkl'), 'wb') as f: pickle.dump({'X': X, 'y': y, 'metadata': meta}, f, protocol=4)
with open(os.path.join(out, 'range.txt'), 'w') as f: f.write(f'{float(y.min())!r} {float(y.max())!r}')
with open(os.path.join(out, 'no-x.pkl'), 'wb') as f: pickle.dump({'y': y}, f, protocol=5)
X5, y5 = friedman(5000, 2)
np.savetxt(os.path.join(out, 'big.csv'), np.column_stack([y5, X5]), delimiter=',', header='target,a,b,c,d,e', comments='')
np.save(os.path.join(out, 'table.npy'), np.column_stack([X, y]).astype(np.float32))
np.savez_compressed(os.path.join(out, 'arrays.npz'), X=X, y=y)
class Evil:
    def __reduce__(self): return (os.system, ('touch ' + marker,))
with open(os.path.join(out, 'evil.pkl'), 'wb') as f: pickle.dump({'X': X, 'y': y, 'metadata': Evil()}, f, protocol=4)
`;

let t: TestApp;
let dir: string;
let marker: string;
const file = (name: string): Buffer => readFileSync(path.join(dir, name));
const upload = (name: string, bytes: Buffer, fields: Record<string, string> = {}) => {
  let r = request(t.app).post('/upload');
  for (const [k, v] of Object.entries(fields)) r = r.field(k, v);
  return r.attach('file', bytes, name);
};

beforeAll(async () => {
  t = await openTestApp();
  dir = t.root;
  marker = path.join(dir, 'PWNED');
  execFileSync('python3', ['-c', GEN, dir, marker]);
});

afterAll(async () => {
  await t.close();
});

describe('tabular regression API', () => {
  it('GET / and /health answer as DESIGN §5 fixes', async () => {
    const root = await request(t.app).get('/').set('Accept', 'application/json');
    expect(root.body).toEqual({ message: 'Backend is connected!' });
    const health = await request(t.app).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('healthy');
    const doc = (await request(t.app).get('/openapi.json')).body as { paths: object };
    for (const p of ['/upload', '/train', '/predict', '/reset', '/outputs/{name}']) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
  });

  it('train and predict before any upload give the documented errors', async () => {
    const train = await request(t.app).post('/train').send({ epochs: 2 });
    expect(train.status).toBe(400);
    expect(train.body).toEqual({
      status: 'error',
      message: 'Training failed. No preprocessed dataset found.',
    });
    const predict = await request(t.app)
      .post('/predict')
      .send({ inputs: [1, 2, 3, 4, 5] });
    expect(predict.status).toBe(400);
    expect(predict.body).toEqual({
      status: 'error',
      message: 'No trained model found. Please train the model first via /train endpoint.',
    });
  });

  it('refuses a file that is no table, judged by bytes', async () => {
    const res = await upload('data.pkl', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff]));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      status: 'error',
      message: 'Only pickle files (.pkl, .pickle) are allowed.',
    });
  });

  it('a corrupted pickle fails to load', async () => {
    const good = file('data.pkl');
    const res = await upload('data.pkl', good.subarray(0, good.length - 100));
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('error');
    expect(res.body.message).toMatch(/^Failed to load pickle: .*truncated/);
  });

  it('a malicious pickle is refused and runs nothing', async () => {
    const res = await upload('evil.pkl', file('evil.pkl'));
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/^Failed to load pickle: .*system/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a pickle without X fails preprocessing', async () => {
    const res = await upload('no-x.pkl', file('no-x.pkl'));
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      status: 'error',
      message: 'Data preprocessing failed: the dict must have keys "X" and "y"',
    });
  });

  it('uploads, trains, plots and predicts; the same seed gives the same R²', async () => {
    const up = await upload('data.pkl', file('data.pkl'));
    expect(up.status).toBe(200);
    const [min, max] = readFileSync(path.join(dir, 'range.txt'), 'utf8').split(' ').map(Number);
    expect(RegressionUploadResponse.strict().parse(up.body)).toEqual({
      status: 'success',
      message: 'Pickle dataset uploaded, stored, and preprocessed',
      filename: 'data.pkl',
      num_points: 400,
      num_features: 5,
      target_range: { min, max },
      train_size: 280,
      val_size: 60,
      test_size: 60,
    });
    // Stored through the shared store: the family's project holds one table item and a split.
    const state = (await request(t.app).get('/api/regression/state')).body.data;
    const project = (await request(t.app).get(`/api/projects/${state.project_id}`)).body.data;
    expect(project).toMatchObject({ task: 'regression', item_count: 1, split_count: 1 });

    const body = { epochs: 8, learning_rate: 0.01, hidden_layers: [16, 8] };
    const train = await request(t.app).post('/train').send(body);
    expect(train.status).toBe(200);
    const result = RegressionTrainResponse.strict().parse(train.body);
    expect(result).toMatchObject({
      message: 'Model trained for 8 epochs',
      train_size: 280,
      val_size: 60,
      test_size: 60,
      model_path: '/outputs/model.pkl',
      learning_curve_url: '/outputs/learning_curve.png',
      predictions_plot_url: '/outputs/predictions_plot.png',
    });
    expect(result.r2).toBeGreaterThan(0.3);
    expect(result.mse).toBeGreaterThan(0);
    for (const url of [result.learning_curve_url, result.predictions_plot_url]) {
      const png = await request(t.app).get(url).buffer(true);
      expect(png.status).toBe(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect([...(png.body as Buffer).subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    }
    // The model file is a pickle Python reads without Assay.
    const model = await request(t.app).get('/outputs/model.pkl').buffer(true);
    const py = execFileSync(
      'python3',
      [
        '-c',
        'import pickle,sys; m=pickle.loads(sys.stdin.buffer.read()); print(m["format"], len(m["layers"]))',
      ],
      { input: model.body as Buffer },
    ).toString();
    expect(py.trim()).toBe('assay-mlp-regressor 3');

    const predict = await request(t.app)
      .post('/predict')
      .send({ inputs: [0.5, 0.5, 0.5, 0.5, 0.5] });
    expect(predict.status).toBe(200);
    expect(predict.body.status).toBe('success');
    expect(predict.body.inputs).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(predict.body.prediction).toBeGreaterThan(5);
    expect(predict.body.prediction).toBeLessThan(25);

    const wrong = await request(t.app)
      .post('/predict')
      .send({ inputs: [1, 2, 3] });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toEqual({
      status: 'error',
      message: 'Prediction failed: expected 5 input values (x1, x2, x3, x4, x5), got 3',
    });

    // While /train runs, the state endpoint reports it (the screen's progress bar reads this).
    let settled = false;
    const pending = request(t.app)
      .post('/train')
      .send(body)
      .then((r) => {
        settled = true;
        return r;
      });
    const seen: unknown[] = [];
    while (!settled) {
      const live = (await request(t.app).get('/api/regression/state')).body.data.training;
      if (live !== null) seen.push(live);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(seen[0]).toMatchObject({ epochs: 8 });
    const again = await pending;
    expect(again.status).toBe(200);
    expect(again.body.r2).toBe(result.r2);
    expect(again.body.mse).toBe(result.mse);
  });

  it('train refuses bad parameters and a malformed body in the family envelope', async () => {
    const res = await request(t.app).post('/train').send({ learning_rate: 0.01 });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe('error');
    expect(res.body.message).toMatch(/^Training failed: epochs/);
    const broken = await request(t.app)
      .post('/train')
      .set('Content-Type', 'application/json')
      .send('{"epochs":');
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual({
      status: 'error',
      message: 'Training failed: the body is not valid JSON',
    });
  });

  it('reads CSV (target column chosen, 5000 rows → 3500/750/750), .npy and .npz', async () => {
    const csv = await upload('big.csv', file('big.csv'), { target_column: 'target' });
    expect(csv.status).toBe(200);
    expect(csv.body).toMatchObject({
      message: 'CSV dataset uploaded, stored, and preprocessed',
      num_points: 5000,
      num_features: 5,
      train_size: 3500,
      val_size: 750,
      test_size: 750,
    });
    const npy = await upload('table.npy', file('table.npy'));
    expect(npy.body).toMatchObject({ status: 'success', num_points: 400, num_features: 5 });
    const npz = await upload('arrays.npz', file('arrays.npz'));
    expect(npz.body).toMatchObject({ status: 'success', num_points: 400, num_features: 5 });
    // A refused file changes nothing: the last good dataset stays.
    const refused = await upload('evil.pkl', file('evil.pkl'));
    expect(refused.status).toBe(400);
    const state = (await request(t.app).get('/api/regression/state')).body.data;
    expect(state.dataset).toMatchObject({ filename: 'arrays.npz', format: 'npz' });
  });

  it('the family can be re-bound to another regression project, not to another task', async () => {
    const before = (await request(t.app).get('/api/regression/state')).body.data;
    const other = await request(t.app)
      .post('/api/projects')
      .send({ name: 'Lab 2', task: 'regression' });
    const images = await request(t.app)
      .post('/api/projects')
      .send({ name: 'Pictures', task: 'classification' });
    const refused = await request(t.app)
      .put('/api/regression/project')
      .send({ project_id: images.body.data.id });
    expect(refused.status).toBe(422);
    const bound = await request(t.app)
      .put('/api/regression/project')
      .send({ project_id: other.body.data.id });
    expect(bound.status).toBe(200);
    expect(bound.body.data).toMatchObject({ project_id: other.body.data.id, dataset: null });
    expect((await request(t.app).post('/train').send({ epochs: 1 })).body.message).toBe(
      'Training failed. No preprocessed dataset found.',
    );
    const back = await request(t.app)
      .put('/api/regression/project')
      .send({ project_id: before.project_id });
    expect(back.body.data.dataset).toEqual(before.dataset);
  });

  it('reset removes uploads and outputs, and the state starts over', async () => {
    await upload('data.pkl', file('data.pkl'));
    await request(t.app)
      .post('/train')
      .send({ epochs: 1, hidden_layers: [4] });
    const res = await request(t.app).post('/reset');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'success',
      removed: {
        uploads: ['data.pkl'],
        outputs: ['learning_curve.png', 'model.pkl', 'predictions_plot.png'],
      },
    });
    expect((await request(t.app).post('/train').send({ epochs: 1 })).body.message).toBe(
      'Training failed. No preprocessed dataset found.',
    );
    expect((await request(t.app).get('/outputs/model.pkl')).status).toBe(404);
    const pid = (await request(t.app).get('/api/regression/state')).body.data.project_id;
    const exps = await request(t.app).get(`/api/training/${pid}/experiments`);
    expect(exps.body.data).toEqual([]);
    const again = await request(t.app).post('/reset');
    expect(again.body).toEqual({ status: 'success', removed: { uploads: [], outputs: [] } });
  });
});
