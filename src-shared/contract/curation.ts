import { z } from 'zod';

/** Up to this many items per curation request (a multi-selection of a large dataset). */
export const MAX_CURATED_ITEMS = 10_000;

const Filenames = z
  .array(z.string().min(1).max(1000))
  .min(1)
  .max(MAX_CURATED_ITEMS)
  .describe('Items by filename, as listed by …/images');

export const RelabelItemsInput = z.strictObject({
  filenames: Filenames,
  /** The class to give them; null (or blank) leaves them without a class. */
  class_name: z.string().max(1000).nullable(),
});
export type RelabelItemsInput = z.input<typeof RelabelItemsInput>;

export const DeleteItemsInput = z.strictObject({ filenames: Filenames });
export type DeleteItemsInput = z.input<typeof DeleteItemsInput>;

export const ItemChangeKind = z.enum(['relabel', 'delete']);

/** A relabel or delete: what it did, and the finished runs that had trained on those items. */
export const ItemChangeResult = z.object({
  /** Items changed (a relabel to the class an item already has changes nothing). */
  changed: z.number().int(),
  /** The recorded change, undoable until the next one; null when nothing changed. */
  change_id: z.number().int().nullable(),
  /** Finished runs that trained on these items: they keep the labels they trained on. */
  runs_using: z.number().int(),
  message: z.string(),
});
export type ItemChangeResult = z.infer<typeof ItemChangeResult>;

/** The change an undo would revert now; null when there is none. */
export const LastItemChange = z.object({
  change: z
    .object({
      change_id: z.number().int(),
      kind: ItemChangeKind,
      item_count: z.number().int(),
      runs_using: z.number().int(),
      created_at: z.string(),
    })
    .nullable(),
});
export type LastItemChange = z.infer<typeof LastItemChange>;

export const UndoResult = z.object({
  kind: ItemChangeKind,
  changed: z.number().int(),
  message: z.string(),
});
export type UndoResult = z.infer<typeof UndoResult>;
