import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute } from '../../src-renderer/lib/route.js';

describe('Evaluation and Export routes', () => {
  it("round-trip through the hash, with the run a finished run's next step chose", () => {
    for (const screen of ['evaluation', 'export'] as const) {
      const route = { screen, projectId: 'proj-0a1b2c3d' };
      expect(formatRoute(route)).toBe(`#/projects/proj-0a1b2c3d/${screen}`);
      expect(parseRoute(formatRoute(route))).toEqual(route);
      const chosen = { screen, projectId: 'proj-0a1b2c3d', detail: 'run-0a1b2c3d' };
      expect(parseRoute(formatRoute(chosen))).toEqual(chosen);
      // A detail id these screens do not take is a bad address, never passed on.
      expect(parseRoute(`#/projects/proj-0a1b2c3d/${screen}/exp-0a1b2c3d`).screen).toBe(
        'not-found',
      );
    }
  });

  it('an unknown screen name is not-found, not a silent landing elsewhere', () => {
    expect(parseRoute('#/projects/proj-0a1b2c3d/exports')).toEqual({
      screen: 'not-found',
      projectId: null,
    });
  });
});
