// The default-project binding of families without project ids in their paths: reads never
// create, the first writes make exactly one project however many race, and it can be re-bound.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { defaultProjectBinding } from '../../src-main/core/services/default-project.js';
import type { ServiceContext } from '../../src-main/core/services/context.js';
import { openStore } from '../../src-main/core/store/index.js';
import { DEFAULT_IMPORT_LIMITS } from '../../src-main/core/workspace/import-types.js';
import { ensureWorkspace } from '../../src-main/core/workspace/layout.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { tempDir } from './services-helpers.js';

let root: string;
let ws: Workstation;
let ctx: ServiceContext;

beforeAll(async () => {
  root = await tempDir('assay-default-project-');
  ws = await openWorkstation({ workspaceDir: root, version: '0', logger: silentLogger });
  // A second store on the same SQLite file (WAL): what the binding reads and marks.
  const layout = await ensureWorkspace(root);
  const store = openStore(layout.dbPath, { now: () => new Date() });
  ctx = {
    store,
    layout,
    limits: DEFAULT_IMPORT_LIMITS,
    logger: silentLogger,
    version: '0',
    now: () => new Date(),
  };
});

afterAll(async () => {
  ctx.store.close();
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

describe('default project binding', () => {
  it('reads create nothing; 20 racing first writes make one project; re-binding moves it', async () => {
    let created = 0;
    const binding = defaultProjectBinding(ctx, {
      family: 'test-family',
      name: 'Test family',
      task: 'regression',
      createProject: async (input) => {
        created += 1;
        // Let the other callers run while this one is "creating".
        await new Promise((r) => setTimeout(r, 20));
        return ws.ops.createProject(input);
      },
    });
    expect(Array.from({ length: 20 }, () => binding.current())).toEqual(Array(20).fill(null));
    expect(await ws.ops.listProjects({})).toEqual([]);

    const ids = await Promise.all(Array.from({ length: 20 }, () => binding.ensure()));
    expect(new Set(ids).size).toBe(1);
    expect(created).toBe(1);
    expect(await ws.ops.listProjects({})).toHaveLength(1);
    expect(binding.current()).toBe(ids[0]);
    expect(await binding.ensure()).toBe(ids[0]);

    const other = await ws.ops.createProject({ name: 'Other', task: 'regression' });
    const images = await ws.ops.createProject({ name: 'Images', task: 'classification' });
    expect(() => binding.bind(images.id)).toThrow(/classification project/);
    expect(() => binding.bind('proj-00000000')).toThrow(/not found/);
    binding.bind(other.id);
    expect(binding.current()).toBe(other.id);
    expect(created).toBe(1);
  });
});
