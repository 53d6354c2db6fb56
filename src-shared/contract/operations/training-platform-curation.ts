import {
  DeleteItemsInput,
  ItemChangeResult,
  LastItemChange,
  RelabelItemsInput,
  UndoResult,
} from '../curation.js';
import { ProjectParams } from '../datasets.js';
import type { OperationDef } from '../operation.js';
import { op } from './platform-op.js';

/**
 * Curating a dataset's items: relabel (or assign a class to items imported without one), delete,
 * and undo the last change. Not in the reference, which has no item edits; paths sit beside its
 * `…/images` routes under `…/items`.
 */
export const platformCurationOperations = {
  relabelItems: op({
    method: 'PATCH',
    path: '/api/datasets/:project_id/items',
    summary: 'Relabel items (one or many), or give items without a class one; null removes it',
    tag: 'Datasets',
    params: ProjectParams,
    body: RelabelItemsInput,
    response: ItemChangeResult,
  }),
  deleteItems: op({
    method: 'POST',
    path: '/api/datasets/:project_id/items/delete',
    summary: 'Delete items (one or many) and the copies derived from them; undoable',
    tag: 'Datasets',
    params: ProjectParams,
    body: DeleteItemsInput,
    response: ItemChangeResult,
  }),
  getLastItemChange: op({
    method: 'GET',
    path: '/api/datasets/:project_id/items/last-change',
    summary: 'The change of items an undo would revert now (null: none)',
    tag: 'Datasets',
    params: ProjectParams,
    response: LastItemChange,
  }),
  undoItemChange: op({
    method: 'POST',
    path: '/api/datasets/:project_id/items/undo',
    summary: 'Undo the last relabel or delete of items',
    tag: 'Datasets',
    params: ProjectParams,
    response: UndoResult,
  }),
} as const satisfies Record<string, OperationDef>;
