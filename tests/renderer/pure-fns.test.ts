import { describe, expect, it } from 'vitest';
import { rootFolderFromFilePath, stripCommonRoot } from '../../src-renderer/lib/drop-paths.js';
import { estimateRemainingMs, progressFraction } from '../../src-renderer/lib/eta.js';
import { formatBytes, formatDuration, formatRemaining } from '../../src-renderer/lib/format.js';
import { columnsFor, pagesForRange } from '../../src-renderer/lib/grid.js';
import { adjustRatios, unassignedPercent, toFractions } from '../../src-renderer/lib/ratios.js';
import { formatRoute, parseRoute } from '../../src-renderer/lib/route.js';
import { waveformPath } from '../../src-renderer/lib/waveform.js';

describe('adjustRatios', () => {
  it('takes the excess from the other two in proportion', () => {
    expect(adjustRatios({ train: 80, val: 10, test: 10 }, 'train', 90)).toEqual({
      train: 90,
      val: 5,
      test: 5,
    });
    expect(adjustRatios({ train: 60, val: 30, test: 10 }, 'test', 30)).toEqual({
      train: 47,
      val: 23,
      test: 30,
    });
  });

  it('never exceeds 100 and never goes negative, whatever is moved', () => {
    const start = { train: 37, val: 41, test: 22 };
    for (const key of ['train', 'val', 'test'] as const) {
      for (let v = -10; v <= 110; v += 7) {
        const r = adjustRatios(start, key, v);
        expect(r.train + r.val + r.test).toBeLessThanOrEqual(100);
        for (const x of [r.train, r.val, r.test]) {
          expect(x).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(x)).toBe(true);
        }
        expect(r[key]).toBe(Math.min(100, Math.max(0, v)));
      }
    }
  });

  it('leaves the others alone when moving down, the rest becomes unassigned', () => {
    const r = adjustRatios({ train: 80, val: 10, test: 10 }, 'train', 70);
    expect(r).toEqual({ train: 70, val: 10, test: 10 });
    expect(unassignedPercent(r)).toBe(10);
    expect(toFractions(r)).toEqual({ train: 0.7, val: 0.1, test: 0.1 });
  });

  it('handles the others being zero', () => {
    expect(adjustRatios({ train: 100, val: 0, test: 0 }, 'val', 30)).toEqual({
      train: 70,
      val: 30,
      test: 0,
    });
  });
});

describe('stripCommonRoot', () => {
  it('strips the one folder everything was dropped or chosen in', () => {
    expect(stripCommonRoot(['animals/cat/1.png', 'animals/dog/2.png'])).toEqual([
      'cat/1.png',
      'dog/2.png',
    ]);
  });
  it('keeps several dropped folders: they are the classes', () => {
    expect(stripCommonRoot(['cat/1.png', 'dog/2.png'])).toEqual(['cat/1.png', 'dog/2.png']);
  });
  it('keeps loose files and normalises separators', () => {
    expect(stripCommonRoot(['a.png', 'x/b.png'])).toEqual(['a.png', 'x/b.png']);
    expect(stripCommonRoot(['/root\\cat\\1.png'])).toEqual(['cat/1.png']);
    expect(stripCommonRoot([])).toEqual([]);
  });
});

describe('rootFolderFromFilePath', () => {
  it('finds the chosen folder on POSIX and Windows', () => {
    expect(rootFolderFromFilePath('/home/u/animals/cat/1.png', 'animals/cat/1.png')).toBe(
      '/home/u/animals',
    );
    expect(rootFolderFromFilePath('C:\\data\\animals\\cat\\1.png', 'animals/cat/1.png')).toBe(
      'C:\\data\\animals',
    );
  });
  it('returns null when path and relative path disagree', () => {
    expect(rootFolderFromFilePath('/x/y.png', 'animals/cat/1.png')).toBeNull();
    expect(rootFolderFromFilePath('/x/y.png', 'y.png')).toBeNull();
  });
});

describe('eta and progress', () => {
  it('extrapolates the average rate', () => {
    expect(estimateRemainingMs(25, 100, 1000)).toBe(3000);
    expect(estimateRemainingMs(0, 100, 1000)).toBeNull();
    expect(estimateRemainingMs(5, 0, 1000)).toBeNull();
    expect(estimateRemainingMs(100, 100, 1000)).toBeNull();
    expect(progressFraction(3, 4)).toBe(0.75);
    expect(progressFraction(5, 4)).toBe(1);
    expect(progressFraction(1, 0)).toBe(0);
  });
  it('words the remaining time', () => {
    expect(formatRemaining(null)).toBeNull();
    expect(formatRemaining(400)).toBe('less than a second left');
    expect(formatRemaining(12_000)).toBe('12 s left');
    expect(formatRemaining(125_000)).toBe('2 min 5 s left');
    expect(formatRemaining(3_780_000)).toBe('1 h 3 min left');
  });
});

describe('format', () => {
  it('formats bytes and durations', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KB');
    expect(formatBytes(5 * 1024 ** 3)).toBe('5.00 GB');
    expect(formatDuration(3.24)).toBe('0:03.2');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(null)).toBe('—');
  });
});

describe('grid geometry', () => {
  it('fits columns and covers ranges with pages', () => {
    expect(columnsFor(0, 150, 12)).toBe(1);
    expect(columnsFor(960, 150, 12)).toBe(6);
    expect(pagesForRange(0, 10, 200, 1000)).toEqual([1]);
    expect(pagesForRange(150, 450, 200, 1000)).toEqual([1, 2, 3]);
    expect(pagesForRange(150, 5000, 200, 300)).toEqual([1, 2]);
    expect(pagesForRange(0, 10, 200, 0)).toEqual([]);
  });
});

describe('routes', () => {
  it('round-trips project screens; an empty hash is Projects, a malformed one not-found', () => {
    const r = { screen: 'splits', projectId: 'proj-0a1b2c3d' } as const;
    expect(parseRoute(formatRoute(r))).toEqual(r);
    expect(parseRoute('#/projects/proj-0a1b2c3d')).toEqual({
      screen: 'dataset',
      projectId: 'proj-0a1b2c3d',
    });
    expect(parseRoute('#/projects/../etc/splits')).toEqual({
      screen: 'not-found',
      projectId: null,
    });
    expect(parseRoute('')).toEqual({ screen: 'projects', projectId: null });
  });
});

describe('waveformPath', () => {
  it('draws a closed outline spanning the width, maxima above minima', () => {
    const d = waveformPath(
      [
        [-1, 1],
        [-0.5, 0.5],
      ],
      100,
      40,
    );
    expect(d.startsWith('M0 0 50 0')).toBe(true);
    expect(d.endsWith('Z')).toBe(true);
    expect(d).toContain('100 10'); // second bucket top at 0.5 → y = 10
    expect(d).toContain('0 40'); // first bucket bottom at -1 → y = 40
  });
  it('gives a flat line for no peaks', () => {
    expect(waveformPath([], 100, 40)).toBe('M0 20 L100 20');
  });
});
