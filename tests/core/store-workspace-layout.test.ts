import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureWorkspace,
  safeJoin,
  workspaceLayout,
} from '../../src-main/core/workspace/layout.js';

describe('workspace layout', () => {
  it('derives every path from the workspace folder and creates the fixed ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assay-layout-'));
    try {
      const layout = await ensureWorkspace(dir);
      expect(layout.dbPath).toBe(join(dir, 'assay.db'));
      expect(layout.datasetJsonPath('proj-0123abcd')).toBe(
        join(dir, 'projects', 'proj-0123abcd', 'dataset.json'),
      );
      expect((await stat(layout.tmpDir)).isDirectory()).toBe(true);
      expect((await stat(layout.projectsDir)).isDirectory()).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never turns a foreign id into a path', () => {
    const layout = workspaceLayout('/ws');
    for (const id of ['../etc', 'proj-../..', 'proj-0123ABCD', '']) {
      expect(() => layout.projectDir(id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    }
  });

  it('safeJoin keeps paths inside the base', () => {
    expect(safeJoin('/base', 'blobs/ab/ab.png')).toBe('/base/blobs/ab/ab.png');
    expect(safeJoin('/base', 'a/..b')).toBe('/base/a/..b');
    expect(safeJoin('/base', '..hidden')).toBe('/base/..hidden');
    for (const bad of [
      '../x',
      'a/../../x',
      '/etc/passwd',
      'C:\\x',
      'c:x',
      'a\\..\\..\\x',
      'a\0b',
      '',
      '.',
    ]) {
      expect(() => safeJoin('/base', bad)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    }
  });
});
