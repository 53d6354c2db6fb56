import { randomBytes } from 'node:crypto';
import type { Project } from '../../../src-shared/contract/index.js';
import { AppError, notFound } from '../errors.js';
import type { Store } from '../store/index.js';
import type { ImportLimits } from '../workspace/import-types.js';
import type { WorkspaceLayout } from '../workspace/layout.js';
import type { Logger } from './logger.js';

/** What every service is given: its dependencies arrive as arguments, never from globals or env. */
export interface ServiceContext {
  readonly store: Store;
  readonly layout: WorkspaceLayout;
  readonly limits: ImportLimits;
  readonly logger: Logger;
  readonly version: string;
  readonly now: () => Date;
}

/** The project, or AppError `not_found`: the one way services look a project up by a given id. */
export function requireProject(ctx: Pick<ServiceContext, 'store'>, id: string): Project {
  const project = ctx.store.projects.get(id);
  if (!project) throw notFound(`project ${id}`);
  return project;
}

/**
 * AppError `conflict` when a run of the project that has not ended (pending or running) would lose
 * its data to `action`: with `splitId`, only runs on that split count.
 */
export function refuseWhileTraining(
  ctx: Pick<ServiceContext, 'store'>,
  projectId: string,
  action: string,
  splitId?: number,
): void {
  const live = ctx.store.runs
    .listByProject(projectId)
    .filter(
      (r) =>
        (r.status === 'pending' || r.status === 'running') &&
        (splitId === undefined || r.splitId === splitId),
    );
  if (live.length > 0) {
    const ids = live.map((r) => `${r.id} (${r.status})`).join(', ');
    throw new AppError(
      'conflict',
      `cannot ${action} while ${live.length === 1 ? 'a run uses it' : 'runs use it'}: ${ids}; stop ${live.length === 1 ? 'it' : 'them'} first`,
    );
  }
}

export const nowIso = (ctx: Pick<ServiceContext, 'now'>): string => ctx.now().toISOString();

/**
 * `prefix` + 8 random hex digits, retried on the (astronomically rare) collision. Hex only, so an id
 * can never equal a fixed path word such as `preview` or `status`.
 */
export function newId(prefix: 'proj-' | 'job-', taken: (id: string) => boolean): string {
  for (;;) {
    const id = `${prefix}${randomBytes(4).toString('hex')}`;
    if (!taken(id)) return id;
  }
}
