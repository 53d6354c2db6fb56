import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../src-renderer/lib/route.js';

describe('Evaluation and Export routes', () => {
  it('round-trip through the hash, and take no detail id', () => {
    for (const screen of ['evaluation', 'export'] as const) {
      const route = { screen, projectId: 'proj-0a1b2c3d' };
      expect(formatRoute(route)).toBe(`#/projects/proj-0a1b2c3d/${screen}`);
      expect(parseRoute(formatRoute(route))).toEqual(route);
      // Another screen's detail id is ignored, never passed on.
      expect(parseRoute(`#/projects/proj-0a1b2c3d/${screen}/run-0a1b2c3d`)).toEqual(route);
    }
  });

  it('an unknown screen name falls back to the dataset', () => {
    expect(parseRoute('#/projects/proj-0a1b2c3d/exports')).toEqual({
      screen: 'dataset',
      projectId: 'proj-0a1b2c3d',
    });
  });
});
