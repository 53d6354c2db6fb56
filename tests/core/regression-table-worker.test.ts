// Regression uploads read in a worker thread with limits: crafted pickles that used to block the
// process for minutes, the worker's own time and heap bounds, and shape errors that say what was
// found and what was expected. Pickles are written by real Python + numpy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeLong } from '../../src-main/core/media/pickle/byte-reader.js';
import { readPickle } from '../../src-main/core/media/pickle/read-pickle.js';
import { DEFAULT_IMPORT_LIMITS } from '../../src-main/core/workstation.js';
import { prepareTableInWorker } from '../../src-main/core/regression/table-job.js';
import { tableToCsv } from '../../src-main/core/regression/table-csv.js';
import { UploadError } from '../../src-main/core/regression/table-input.js';

const GEN = String.raw`
import pickle, struct, sys, os, numpy as np
out = sys.argv[1]
def dump(name, obj):
    with open(os.path.join(out, name), 'wb') as f: pickle.dump(obj, f, protocol=4)
rng = np.random.default_rng(0)
X, y = rng.random((40, 5)), rng.random(40)
meta = {'feature_names': ['a', 'b', 'c', 'd', 'e'], 'target_name': 't'}
dump('good.pkl', {'X': X, 'y': y, 'metadata': meta})
# One 300 000-byte LONG4 (the integer 0x7f7f…7f): read byte by byte into a BigInt, minutes.
n = 300_000
open(os.path.join(out, 'long.pkl'), 'wb').write(b'\x80\x04\x8b' + struct.pack('<I', n) + b'\x7f' * n + b'.')
open(os.path.join(out, 'long.hex'), 'w').write('7f' * n)
# 165 000 column names, one memo'd string repeated (two bytes each): 330 KB.
names = ['feature_with_a_long_name'] * 165_000
dump('names.pkl', {'X': np.zeros((10, 3)), 'y': np.zeros(10), 'metadata': {'feature_names': names, 'target_name': 't'}})
# The same names over a matching X of memo'd rows: a table the file cannot honestly hold.
row = [0] * 165_000
dump('names-rows.pkl', {'X': [row] * 10, 'y': list(range(10)), 'metadata': {'feature_names': names, 'target_name': 't'}})
# The same names over a real (10, 165000) array: read in a blink now, but too wide to store.
dump('wide.pkl', {'X': np.zeros((10, 165_000), dtype=bool), 'y': np.zeros(10), 'metadata': {'feature_names': names, 'target_name': 't'}})
# Two million distinct short strings (each memo'd): 16 MB on disk, far more on a JS heap.
dump('big-list.pkl', {'X': [str(i) for i in range(2_000_000)], 'y': [0]})
dump('x-3d.pkl', {'X': np.zeros((12, 5, 2)), 'y': np.zeros(12), 'metadata': meta})
dump('x-rows.pkl', {'X': np.zeros((12, 5)), 'y': np.zeros(10), 'metadata': meta})
dump('y-2d.pkl', {'X': np.zeros((12, 5)), 'y': np.zeros((12, 2)), 'metadata': meta})
dump('x-meta.pkl', {'X': np.zeros((12, 4)), 'y': np.zeros(12), 'metadata': meta})
`;

let dir: string;
let n = 0;
const limits = { ...DEFAULT_IMPORT_LIMITS };
const prepare = (name: string, readLimits?: { timeoutMs: number; maxHeapMb: number }) =>
  prepareTableInWorker(
    {
      path: path.join(dir, name),
      format: 'pickle',
      targetColumn: null,
      csvPath: path.join(dir, `out-${n++}.csv`),
      limits,
    },
    readLimits,
  );
const refusal = async (p: Promise<unknown>): Promise<UploadError> => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(UploadError);
  return err as UploadError;
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'assay-table-worker-'));
  execFileSync('/usr/bin/python3', ['-c', GEN, dir]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('regression uploads read in a worker', () => {
  it('reads a real numpy pickle and writes its canonical CSV', async () => {
    const t = await prepare('good.pkl');
    expect(t).toMatchObject({ format: 'pickle', rows: 40, targetName: 't' });
    expect(t.featureNames).toEqual(['a', 'b', 'c', 'd', 'e']);
    const csv = readFileSync(path.join(dir, `out-${n - 1}.csv`), 'utf8');
    expect(csv.split('\n')[0]).toBe('a,b,c,d,e,t');
    expect(csv.trim().split('\n')).toHaveLength(41);
  });

  it('a 300 KB LONG decodes to the exact integer, and as an upload is refused clearly', async () => {
    const hex = readFileSync(path.join(dir, 'long.hex'), 'utf8');
    expect(readPickle(readFileSync(path.join(dir, 'long.pkl')))).toBe(BigInt(`0x${hex}`));
    expect(decodeLong(Uint8Array.from([0xff, 0x7f]))).toBe(0x7fff);
    expect(decodeLong(Uint8Array.from([0x00, 0x80]))).toBe(-32768);
    const err = await refusal(prepare('long.pkl'));
    expect(err.stage).toBe('preprocess');
    expect(err.message).toMatch(/dict/);
  });

  it('165 000 memo’d column names: a clear refusal naming both counts', async () => {
    const err = await refusal(prepare('names.pkl'));
    expect(err.message).toBe('metadata names 165000 features, X has shape (10, 3) (3 features)');
    const rows = await refusal(prepare('names-rows.pkl'));
    expect(rows.stage).toBe('preprocess');
    expect(rows.message).toMatch(/^X would hold 10 × 165000 values from a \d+-byte file/);
    const wide = await refusal(prepare('wide.pkl'));
    expect(wide.message).toMatch(
      /^165000 columns are too wide to store: the header and first row take \d+ bytes as CSV, at most 65536$/,
    );
  });

  it('names repeated 165 000 times become unique headers in one pass', () => {
    const cols = 165_000;
    const csv = tableToCsv({
      featureNames: Array.from({ length: cols }, () => 'f'),
      targetName: 'f',
      x: new Float64Array(cols),
      y: new Float64Array(1),
      rows: 1,
    });
    const header = csv.split('\n')[0]?.split(',') ?? [];
    expect(new Set(header).size).toBe(cols + 1);
    expect(header.slice(0, 3)).toEqual(['f', 'f_2', 'f_3']);
    expect(header.at(-1)).toBe(`f_${cols + 1}`);
  });

  it('X and y of the wrong shape: the shape found and the one expected', async () => {
    expect((await refusal(prepare('x-3d.pkl'))).message).toBe(
      'X has shape (12, 5, 2); expected (n_samples, n_features), e.g. (n_samples, 5)',
    );
    expect((await refusal(prepare('x-rows.pkl'))).message).toBe(
      'X has shape (12, 5) and y has shape (10,); expected X of shape (10, n_features) for 10 targets, e.g. (10, 5)',
    );
    expect((await refusal(prepare('y-2d.pkl'))).message).toBe(
      'y has shape (12, 2); expected (n_samples,): one target per sample',
    );
    expect((await refusal(prepare('x-meta.pkl'))).message).toBe(
      'metadata names 5 features, X has shape (12, 4) (4 features)',
    );
  });

  it('a reader past its heap bound is stopped with a limit error; the same bound reads a real file', async () => {
    const bound = { timeoutMs: 120_000, maxHeapMb: 64 };
    await expect(prepare('good.pkl', bound)).resolves.toMatchObject({ rows: 40 });
    const err = await refusal(prepare('big-list.pkl', bound));
    expect(err.stage).toBe('limit');
    expect(err.message).toBe('reading the file needed more than 64 MB of memory and was stopped');
  });

  it('a reader past its time bound is terminated with a limit error', async () => {
    const err = await refusal(prepare('good.pkl', { timeoutMs: 1, maxHeapMb: 512 }));
    expect(err.stage).toBe('limit');
    expect(err.message).toBe('reading the file took longer than 0.001 s and was stopped');
  });
});
