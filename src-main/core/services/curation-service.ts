import type { OperationHandlers } from '../../../src-shared/contract/index.js';
import { AppError, badRequest } from '../errors.js';
import { nowIso, requireProject, type ServiceContext } from './context.js';
import {
  changeSummary,
  checkClassName,
  missingNames,
  relabelEntries,
  type CuratedItem,
} from './curation-rules.js';

export type CurationService = Pick<
  OperationHandlers,
  'relabelItems' | 'deleteItems' | 'getLastItemChange' | 'undoItemChange'
>;

/**
 * Relabel, delete and undo over a project's items. Each request changes all the items it names
 * or none (an unknown name refuses it whole), in one transaction, and is recorded with the
 * finished runs that had trained on those items: they keep the labels they were made with.
 */
export function createCurationService(ctx: ServiceContext): CurationService {
  const { store } = ctx;
  const itemsOf = (projectId: string, filenames: readonly string[]): CuratedItem[] => {
    requireProject(ctx, projectId);
    const found = store.curation.byNames(projectId, filenames);
    const missing = missingNames(filenames, found);
    if (missing.length > 0) {
      const shown = missing.slice(0, 5).join(', ');
      throw new AppError(
        'not_found',
        `${missing.length} item${missing.length === 1 ? '' : 's'} not found: ${shown}${missing.length > 5 ? ', …' : ''}`,
        { missing },
      );
    }
    return found;
  };

  return {
    relabelItems: async ({ project_id, filenames, class_name }) => {
      const check = checkClassName(class_name);
      if (!check.ok) throw badRequest(check.reason);
      const entries = relabelEntries(itemsOf(project_id, filenames), check.value);
      if (entries.length === 0) {
        return { changed: 0, change_id: null, runs_using: 0, message: 'Nothing to change' };
      }
      const change = store.curation.relabel(project_id, entries, nowIso(ctx));
      return {
        changed: entries.length,
        change_id: change.id,
        runs_using: change.runsUsing,
        message: changeSummary('relabel', entries.length, check.value, change.runsUsing),
      };
    },

    deleteItems: async ({ project_id, filenames }) => {
      const items = itemsOf(project_id, filenames);
      const change = store.curation.remove(
        project_id,
        items.map((i) => i.id),
        nowIso(ctx),
      );
      return {
        changed: items.length,
        change_id: change.id,
        runs_using: change.runsUsing,
        message: changeSummary('delete', items.length, null, change.runsUsing),
      };
    },

    getLastItemChange: async ({ project_id }) => {
      requireProject(ctx, project_id);
      const c = store.curation.lastChange(project_id);
      return {
        change:
          c === null
            ? null
            : {
                change_id: c.id,
                kind: c.kind,
                item_count: c.itemCount,
                runs_using: c.runsUsing,
                created_at: c.createdAt,
              },
      };
    },

    undoItemChange: async ({ project_id }) => {
      requireProject(ctx, project_id);
      const outcome = store.curation.undo(project_id, nowIso(ctx));
      if (!outcome.ok) {
        throw outcome.reason === 'nothing'
          ? new AppError('conflict', 'there is no change of items to undo')
          : new AppError(
              'conflict',
              `cannot undo the delete: an item named "${outcome.filename}" was imported since`,
            );
      }
      const items = `${outcome.itemCount} item${outcome.itemCount === 1 ? '' : 's'}`;
      return {
        kind: outcome.kind,
        changed: outcome.itemCount,
        message:
          outcome.kind === 'delete' ? `Restored ${items}` : `Put back the classes of ${items}`,
      };
    },
  };
}
