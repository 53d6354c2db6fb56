import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readNpy, readNpz } from '../../src-main/core/regression/npy.js';
import { tableToCsv } from '../../src-main/core/regression/table-csv.js';
import {
  judgeFormat,
  readUpload,
  UploadError,
} from '../../src-main/core/regression/table-input.js';
import { r2Score } from '../../src-main/core/regression/regression-evaluate.js';
import {
  decodeModel,
  encodeModel,
  predictOne,
  type RegressionModel,
} from '../../src-main/core/regression/model-file.js';

// .npy/.npz as numpy writes them: orders, byte orders, dtypes.
const GEN = String.raw`
import sys, os, numpy as np
out = sys.argv[1]
a = np.arange(12, dtype=np.float64).reshape(3, 4)
np.save(os.path.join(out, 'c.npy'), a)
np.save(os.path.join(out, 'f.npy'), np.asfortranarray(a))
np.save(os.path.join(out, 'be.npy'), a.astype('>f4'))
np.save(os.path.join(out, 'i8.npy'), a.astype(np.int64))
np.save(os.path.join(out, 'obj.npy'), np.array([{'a': 1}], dtype=object), allow_pickle=True)
np.savez(os.path.join(out, 'xy.npz'), X=np.ones((20, 3)), y=np.arange(20.0))
np.savez(os.path.join(out, 'other.npz'), a=np.ones(3), b=np.ones(3))
`;

let dir: string;
const file = (n: string): Buffer => readFileSync(path.join(dir, n));

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'assay-reg-input-'));
  execFileSync('python3', ['-c', GEN, dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('.npy and .npz', () => {
  it('reads C and Fortran order, big-endian and int64 into C-order values', () => {
    const want = Array.from({ length: 12 }, (_, i) => i);
    for (const name of ['c.npy', 'f.npy', 'be.npy']) {
      const a = readNpy(file(name));
      expect(a.shape).toEqual([3, 4]);
      expect(Array.from(a.data as Float64Array)).toEqual(want);
    }
    expect(Array.from(readNpy(file('i8.npy')).data as BigInt64Array, Number)).toEqual(want);
  });

  it('refuses object arrays (their data is a pickle) and truncated data', () => {
    expect(() => readNpy(file('obj.npy'))).toThrow(/dtype/);
    const c = file('c.npy');
    expect(() => readNpy(c.subarray(0, c.length - 8))).toThrow(/bytes/);
  });

  it('reads X and y from an .npz and refuses one that unpacks too large', () => {
    const arrays = readNpz(file('xy.npz'), 1 << 20);
    expect(arrays.get('X')?.shape).toEqual([20, 3]);
    const bomb = zipSync({ 'X.npy': new Uint8Array(2_000_000) }, { level: 9 });
    expect(() => readNpz(bomb, 1 << 20)).toThrow(/more than/);
  });
});

describe('uploads', () => {
  const read = async (name: string, bytes: Uint8Array, target: string | null = null) => {
    const staged = path.join(dir, `staged-${name}`);
    writeFileSync(staged, bytes);
    const format = await judgeFormat(bytes, staged);
    if (!format) throw new Error('not judged');
    return { format, table: await readUpload(format, bytes, staged, target) };
  };

  it('judges by bytes: a CSV named .pkl is a CSV, a PNG is nothing', async () => {
    const csv = Buffer.from('a,b,t\n1,2,3\n'.repeat(1) + '4,5,6\n'.repeat(12));
    const staged = path.join(dir, 'x.pkl');
    writeFileSync(staged, csv);
    expect(await judgeFormat(csv, staged)).toBe('csv');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    writeFileSync(staged, png);
    expect(await judgeFormat(png, staged)).toBeNull();
  });

  it('an .npz with X and y; one without them is a preprocessing error', async () => {
    const { format, table } = await read('xy.npz', file('xy.npz'));
    expect(format).toBe('npz');
    expect(table.rows).toBe(20);
    expect(table.featureNames).toEqual(['x1', 'x2', 'x3']);
    await expect(read('other.npz', file('other.npz'))).rejects.toMatchObject({
      stage: 'preprocess',
    });
  });

  it('a CSV target column by name; an unknown one fails to load', async () => {
    const csv = Buffer.from(`t,a,b\n${'1,2,3\n'.repeat(12)}`);
    const { table } = await read('t.csv', csv, 't');
    expect(table.targetName).toBe('t');
    expect(table.featureNames).toEqual(['a', 'b']);
    await expect(read('t.csv', csv, 'nope')).rejects.toBeInstanceOf(UploadError);
  });

  it('the canonical CSV quotes odd names, keeps them unique and puts the target last', () => {
    const csv = tableToCsv({
      featureNames: ['a,b', 'y'],
      targetName: 'y',
      x: Float64Array.from([0.1, 2]),
      y: Float64Array.from([1 / 3]),
      rows: 1,
    });
    expect(csv).toBe(`"a,b",y,y_2\n0.1,2,${String(1 / 3)}\n`);
  });
});

describe('model file and score', () => {
  it('R² as scikit-learn computes it', () => {
    expect(r2Score([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(r2Score([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(r2Score([3, -0.5, 2, 7], [2.5, 0.0, 2, 8])).toBeCloseTo(0.9486081370449679, 12);
  });

  it('the model pickle reads back in Python and in our reader with the same prediction', () => {
    const model: RegressionModel = {
      format: 'assay-mlp-regressor',
      version: 1,
      feature_names: ['a', 'b'],
      target_name: 'y',
      x_mean: [1, -2],
      x_std: [2, 0.5],
      y_mean: 10,
      y_std: 3,
      layers: [
        {
          kernel: [
            [0.5, -1, 0.25],
            [1.5, 0.1, -0.3],
          ],
          bias: [0.1, 0.2, -0.05],
        },
        { kernel: [[1], [-0.7], [2]], bias: [0.3] },
      ],
      run_id: 'run-0123abcd',
    };
    const bytes = encodeModel(model);
    const ours = predictOne(decodeModel(bytes), [2, -1]);
    expect(ours).toBeCloseTo(predictOne(model, [2, -1]), 12);
    const pkl = path.join(dir, 'model.pkl');
    writeFileSync(pkl, bytes);
    const py = String.raw`
import pickle, sys
m = pickle.load(open(sys.argv[1], 'rb'))
a = [(v - mu) / sd for v, mu, sd in zip([2.0, -1.0], m['x_mean'], m['x_std'])]
for i, layer in enumerate(m['layers']):
    out = [b + sum(a[r] * layer['kernel'][r][o] for r in range(len(a))) for o, b in enumerate(layer['bias'])]
    a = [max(0.0, v) for v in out] if i < len(m['layers']) - 1 else out
print(repr(a[0] * m['y_std'] + m['y_mean']))
`;
    const python = Number(execFileSync('python3', ['-c', py, pkl]).toString());
    expect(python).toBeCloseTo(ours, 9);
  });
});
