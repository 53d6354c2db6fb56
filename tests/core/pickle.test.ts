import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPickle } from '../../src-main/core/media/pickle/read-pickle.js';
import {
  isNdArray,
  type NdArray,
  PickleError,
  type PickleTuple,
  type PickleValue,
} from '../../src-main/core/media/pickle/values.js';

// Pickles written by real Python + numpy (Debian python3-numpy), one file per case.
const GEN = String.raw`
import pickle, sys, os, numpy as np
out = sys.argv[1]
base = np.arange(12).reshape(3, 4)
for proto in (2, 3, 4, 5):
    for dt in ('float32', 'float64', 'int32', 'int64', 'bool'):
        a = (base % 2 == 1) if dt == 'bool' else (base * 1.5 - 4).astype(dt) if dt.startswith('f') else (base * 3 - 7).astype(dt)
        for order in ('C', 'F'):
            arr = np.asarray(a, order=order)
            with open(os.path.join(out, f'arr-{proto}-{dt}-{order}.pkl'), 'wb') as f:
                pickle.dump(arr, f, protocol=proto)
    data = {
        'X': np.linspace(0, 1, 15).reshape(5, 3), 'y': np.array([1.5, -2.0, 3.25, 0.0, 7.0], dtype=np.float32),
        'metadata': {'feature_names': ['a', 'b', 'c'], 'target_name': 't'},
        'misc': [1, -1, 255, 65536, -2**31, 2**40, 2**70, -2**70, 3.5, True, False, None, 'héllo', b'\x00\xff', (1, 'two'), {'k': [1, 2]}],
        'scalars': [np.float64(2.5), np.int64(-9), np.float32(0.25), np.bool_(True)],
        'empty': np.zeros((0, 5)), 'big_endian': np.array([1.0, 2.0], dtype='>f8'),
    }
    with open(os.path.join(out, f'data-{proto}.pkl'), 'wb') as f:
        pickle.dump(data, f, protocol=proto)
`;

// Pickles that would run code if Python's own pickle.load read them.
const EVIL = String.raw`
import pickle, sys, os, subprocess, builtins
out, marker = sys.argv[1], sys.argv[2]
class SystemReduce:
    def __reduce__(self): return (os.system, ('touch ' + marker,))
class EvalReduce:
    def __reduce__(self): return (builtins.eval, ("open(" + repr(marker) + ", 'w').close()",))
for proto in (2, 3, 4, 5):
    with open(os.path.join(out, f'system-{proto}.pkl'), 'wb') as f: pickle.dump(SystemReduce(), f, protocol=proto)
    with open(os.path.join(out, f'nested-{proto}.pkl'), 'wb') as f: pickle.dump({'X': [1, 2], 'y': [SystemReduce()]}, f, protocol=proto)
    with open(os.path.join(out, f'eval-{proto}.pkl'), 'wb') as f: pickle.dump({'a': {'b': (EvalReduce(),)}}, f, protocol=proto)
# subprocess.Popen through NEWOBJ (protocol 2+ writes copyreg.__newobj__ as the NEWOBJ opcode)
popen = b'\x80\x02csubprocess\nPopen\nq\x00]q\x01(X\x05\x00\x00\x00touchq\x02X' + len(marker).to_bytes(4, 'little') + marker.encode() + b'e\x85q\x03\x81q\x04.'
open(os.path.join(out, 'popen-newobj.pkl'), 'wb').write(popen)
# NEWOBJ on an allowlisted class is refused too (only REDUCE builds numpy objects)
open(os.path.join(out, 'ndarray-newobj.pkl'), 'wb').write(b'\x80\x02cnumpy\nndarray\nK\x01\x85\x81.')
# _reconstruct asked to build something other than ndarray
open(os.path.join(out, 'reconstruct-other.pkl'), 'wb').write(b'\x80\x02cnumpy.core.multiarray\n_reconstruct\ncos\nsystem\nK\x00\x85C\x01b\x87R.')
# INST / OBJ (protocol 0/1 ways to call)
open(os.path.join(out, 'inst.pkl'), 'wb').write(b'(\x8c\x01xios\nsystem\n.')
open(os.path.join(out, 'obj.pkl'), 'wb').write(b'\x80\x02(cos\nsystem\nX\x01\x00\x00\x00xo.')
`;

/**
 * Every interpreter here with numpy, told apart by numpy version: Debian's python3-numpy (1.x,
 * numpy.core paths) and a newer one on PATH (2.x, numpy._core paths) both write what we read.
 */
function numpyPythons(): { exe: string; numpy: string }[] {
  const found = new Map<string, string>();
  for (const exe of ['/usr/bin/python3', 'python3']) {
    try {
      const v = execFileSync(exe, ['-c', 'import numpy; print(numpy.__version__)'], {
        stdio: ['ignore', 'pipe', 'ignore'],
      })
        .toString()
        .trim();
      if (![...found.values()].includes(v)) found.set(exe, v);
    } catch {
      /* not installed here */
    }
  }
  return [...found].map(([exe, numpy]) => ({ exe, numpy }));
}
const PYTHONS = numpyPythons();

let dir: string;
let evilDir: string;
let marker: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'assay-pickle-'));
  evilDir = mkdtempSync(path.join(tmpdir(), 'assay-pickle-evil-'));
  marker = path.join(evilDir, 'PWNED');
  for (const py of PYTHONS) {
    mkdirSync(path.join(dir, py.numpy));
    execFileSync(py.exe, ['-c', GEN, path.join(dir, py.numpy)]);
  }
  execFileSync(PYTHONS[0]?.exe ?? 'python3', ['-c', EVIL, evilDir, marker]);
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(evilDir, { recursive: true, force: true });
});

let numpyVersion = '';
const load = (name: string): PickleValue =>
  readPickle(readFileSync(path.join(dir, numpyVersion, name)));

function expected(dt: string): (number | bigint | boolean)[] {
  return Array.from({ length: 12 }, (_, i) => {
    if (dt === 'bool') return i % 2 === 1;
    if (dt.startsWith('float')) return i * 1.5 - 4;
    return dt === 'int64' ? BigInt(i * 3 - 7) : i * 3 - 7;
  });
}

function values(a: NdArray): (number | bigint | boolean)[] {
  return Array.from(a.data as ArrayLike<number | bigint>, (v) =>
    a.dtype === 'bool' ? v !== 0 : v,
  );
}

function field(v: PickleValue, key: string): PickleValue {
  if (!(v instanceof Map)) throw new Error('not a dict');
  return v.get(key) as PickleValue;
}

it('python3 with numpy is installed (Debian python3-numpy)', () => {
  expect(PYTHONS.length).toBeGreaterThan(0);
});

describe.each(PYTHONS)('readPickle on pickles numpy $numpy writes', (py) => {
  beforeAll(() => {
    numpyVersion = py.numpy;
  });

  for (const proto of [2, 3, 4, 5]) {
    for (const dt of ['float32', 'float64', 'int32', 'int64', 'bool']) {
      for (const order of ['C', 'F']) {
        it(`protocol ${proto}, ${dt}, ${order} order`, () => {
          const a = load(`arr-${proto}-${dt}-${order}.pkl`);
          if (!isNdArray(a)) throw new Error('expected an array');
          expect(a.dtype).toBe(dt);
          expect(a.shape).toEqual([3, 4]);
          expect(values(a)).toEqual(expected(dt));
        });
      }
    }

    it(`protocol ${proto}: a dataset dict with plain values, scalars and edge arrays`, () => {
      const d = load(`data-${proto}.pkl`);
      const x = field(d, 'X');
      if (!isNdArray(x)) throw new Error('X is not an array');
      expect(x.shape).toEqual([5, 3]);
      expect(x.data[14]).toBe(1);
      const meta = field(d, 'metadata');
      expect(field(meta, 'feature_names')).toEqual(['a', 'b', 'c']);
      expect(field(meta, 'target_name')).toBe('t');
      const misc = field(d, 'misc') as PickleValue[];
      expect(misc.slice(0, 13)).toEqual([
        1,
        -1,
        255,
        65536,
        -(2 ** 31),
        2 ** 40,
        2n ** 70n,
        -(2n ** 70n),
        3.5,
        true,
        false,
        null,
        'héllo',
      ]);
      expect(Array.from(misc[13] as Uint8Array)).toEqual([0, 255]);
      expect((misc[14] as PickleTuple).items).toEqual([1, 'two']);
      expect(field(misc[15] as PickleValue, 'k')).toEqual([1, 2]);
      expect(field(d, 'scalars')).toEqual([2.5, -9, 0.25, true]);
      expect((field(d, 'empty') as NdArray).shape).toEqual([0, 5]);
      expect(Array.from((field(d, 'big_endian') as NdArray).data as Float64Array)).toEqual([1, 2]);
    });
  }
});

describe('readPickle refuses code', () => {
  const cases = [
    ...[2, 3, 4, 5].flatMap((p) => [`system-${p}.pkl`, `nested-${p}.pkl`, `eval-${p}.pkl`]),
    'popen-newobj.pkl',
    'ndarray-newobj.pkl',
    'reconstruct-other.pkl',
    'inst.pkl',
    'obj.pkl',
  ];
  for (const name of cases) {
    it(`${name} is refused without side effect`, () => {
      const bytes = readFileSync(path.join(evilDir, name));
      let err: unknown;
      try {
        readPickle(bytes);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PickleError);
      expect((err as PickleError).code).toBe('refused');
      expect(existsSync(marker)).toBe(false);
    });
  }

  it('names the refused global', () => {
    expect(() => readPickle(readFileSync(path.join(evilDir, 'system-4.pkl')))).toThrow(
      /posix\.system|os\.system|nt\.system/,
    );
  });

  it('the evil pickles do run code under Python (so the tests above can fail)', () => {
    execFileSync(PYTHONS[0]?.exe ?? 'python3', [
      '-c',
      'import pickle,sys; pickle.load(open(sys.argv[1],"rb"))',
      path.join(evilDir, 'system-2.pkl'),
    ]);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);
  });
});

describe('readPickle on broken bytes', () => {
  it('a truncated pickle is malformed', () => {
    const bytes = readFileSync(path.join(dir, PYTHONS[0]?.numpy ?? '', 'data-4.pkl'));
    expect(() => readPickle(bytes.subarray(0, bytes.length - 20))).toThrow(PickleError);
  });
  it('mutated bytes fail as PickleError, never as a crash of another kind', () => {
    const good = readFileSync(path.join(dir, PYTHONS[0]?.numpy ?? '', 'data-5.pkl'));
    let state = 1;
    const rand = (n: number): number => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    for (let i = 0; i < 3000; i++) {
      const bad = Buffer.from(good);
      for (let k = 0; k <= rand(3); k++) bad[rand(bad.length)] = rand(256);
      try {
        readPickle(bad);
      } catch (err) {
        expect(err).toBeInstanceOf(PickleError);
      }
    }
    expect(existsSync(marker)).toBe(false);
  });

  it('text is not a pickle', () => {
    expect(() => readPickle(Buffer.from('a,b\n1,2\n'))).toThrow(PickleError);
  });
  it('an array whose data does not fit its shape is malformed', () => {
    const bad = Buffer.from(
      '\x80\x02cnumpy.core.multiarray\n_reconstruct\ncnumpy\nndarray\nK\x00\x85C\x01b\x87R(K\x01K\x03\x85cnumpy\ndtype\nX\x02\x00\x00\x00f8\x89\x88\x87R(K\x03X\x01\x00\x00\x00<NNNJ\xff\xff\xff\xffJ\xff\xff\xff\xffK\x00tb\x89C\x08\x00\x00\x00\x00\x00\x00\xf0?tb.',
      'latin1',
    );
    expect(() => readPickle(bad)).toThrow(/needs 24/);
  });
});
