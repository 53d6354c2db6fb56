import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src-renderer/lib/format.js';
import { formatRoute, parseRoute, shownScreen } from '../../src-renderer/lib/route.js';
import { backendHint, diskShares } from '../../src-renderer/lib/system-info.js';

const P = 'proj-0a1b2c3d';

describe('unknown routes', () => {
  it('reads the System screen and round-trips it', () => {
    expect(parseRoute('#/system')).toEqual({ screen: 'system', projectId: null });
    expect(formatRoute({ screen: 'system', projectId: P })).toBe('#/system');
    expect(parseRoute(formatRoute({ screen: 'not-found', projectId: null })).screen).toBe(
      'not-found',
    );
  });

  it.each([
    '#/nonsense',
    '#/system/extra',
    '#/regression/x',
    '#/projects/unknown-id/dataset',
    `#/projects/${P}/nonsense`,
    `#/projects/${P}/dataset/run-01234567`,
    `#/projects/${P}/runs/run-01234567/more`,
  ])('sends %s to not-found', (hash) => {
    expect(parseRoute(hash)).toEqual({ screen: 'not-found', projectId: null });
  });

  it.each(['', '#', '#/', '#/projects'])('keeps %j on Projects', (hash) => {
    expect(parseRoute(hash)).toEqual({ screen: 'projects', projectId: null });
  });

  it('shows a project screen only for a project the workspace has', () => {
    expect(shownScreen('runs', P, 'known')).toBe('runs');
    expect(shownScreen('runs', P, 'checking')).toBeNull();
    expect(shownScreen('runs', P, 'unknown')).toBe('not-found');
    // The remembered project does not matter on screens that take none.
    expect(shownScreen('system', P, 'unknown')).toBe('system');
    expect(shownScreen('projects', P, 'unknown')).toBe('projects');
    expect(shownScreen('dataset', null, 'known')).toBe('projects');
  });
});

describe('system info', () => {
  it('says that native TensorFlow needs libtensorflow, a download', () => {
    const hint = backendHint({
      name: 'tensorflow',
      package: '@tensorflow/tfjs-node',
      available: false,
    });
    expect(hint).toContain('@tensorflow/tfjs-node');
    expect(hint).toContain('libtensorflow');
    expect(hint).toContain('download');
    expect(
      backendHint({
        name: 'tensorflow-gpu',
        package: '@tensorflow/tfjs-node-gpu',
        available: false,
      }),
    ).toContain('CUDA');
    expect(
      backendHint({ name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', available: true }),
    ).toBe('Ships with the app.');
  });

  it('orders projects by disk use with their share of the workspace', () => {
    const shares = diskShares(
      [
        { id: 'a', name: 'small', bytes: 100 },
        { id: 'b', name: 'big', bytes: 300 },
        { id: 'c', name: 'empty', bytes: 0 },
      ],
      1000,
    );
    expect(shares.map((s) => [s.name, s.percent])).toEqual([
      ['big', 30],
      ['small', 10],
      ['empty', 0],
    ]);
    expect(diskShares([{ id: 'a', name: 'x', bytes: 5 }], 0)[0]?.percent).toBe(0);
    expect(diskShares([{ id: 'a', name: 'x', bytes: 5 }], 4)[0]?.percent).toBe(100);
  });

  it('formats sizes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(150 * 2 ** 20)).toBe('150 MB');
    expect(formatBytes(-1)).toBe('—');
  });
});
