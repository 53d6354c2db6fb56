import type { Project, Task } from '../../../src-shared/contract/projects.js';
import { AppError } from '../errors.js';
import { requireProject, type ServiceContext } from './context.js';

/**
 * The project a family without project ids in its paths acts on (DESIGN §5): found by a
 * `family_default` mark in the project's settings, created on the first *write* only, and
 * re-bindable. Reads use `current()`, which never creates anything; writes use `ensure()`, which
 * is single-flight, so concurrent first writes make one project.
 */
export interface DefaultProjectBinding {
  /** The bound project's id, or null while the family has never been written to. */
  current(): string | null;
  /** The bound project's id, creating the project on first use. */
  ensure(): Promise<string>;
  /** Moves the mark to `projectId` (which must exist and have the family's task). */
  bind(projectId: string): void;
}

export interface DefaultProjectOptions {
  /** The family's id, stored as the mark. */
  readonly family: string;
  /** Name and task of the project made on first use. */
  readonly name: string;
  readonly task: Task;
  readonly createProject: (input: { name: string; task: Task }) => Promise<Project>;
}

export function defaultProjectBinding(
  ctx: ServiceContext,
  o: DefaultProjectOptions,
): DefaultProjectBinding {
  const settings = (id: string): Record<string, unknown> => ctx.store.projects.settings(id) ?? {};
  const mark = (id: string, on: boolean): void => {
    const { family_default: current, ...rest } = settings(id);
    if (on && current === o.family) return;
    const next = on ? { ...rest, family_default: o.family } : rest;
    ctx.store.projects.setSettings(id, next, ctx.now().toISOString());
  };
  const current = (): string | null => {
    for (const p of ctx.store.projects.list()) {
      if (settings(p.id).family_default === o.family) return p.id;
    }
    return null;
  };
  let creating: Promise<string> | null = null;

  return {
    current,
    ensure() {
      const found = current();
      if (found !== null) return Promise.resolve(found);
      creating ??= (async () => {
        try {
          const p = await o.createProject({ name: o.name, task: o.task });
          mark(p.id, true);
          return p.id;
        } finally {
          creating = null;
        }
      })();
      return creating;
    },
    bind(projectId) {
      const project = requireProject(ctx, projectId);
      if (project.task !== o.task) {
        throw new AppError(
          'unprocessable',
          `project ${projectId} is a ${project.task} project; the ${o.family} family needs a ${o.task} project`,
        );
      }
      for (const p of ctx.store.projects.list()) {
        if (p.id !== projectId && settings(p.id).family_default === o.family) mark(p.id, false);
      }
      mark(projectId, true);
    },
  };
}
