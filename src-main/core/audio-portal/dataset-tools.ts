import { rm } from 'node:fs/promises';
import {
  AUDIO_AUGMENT_TECHNIQUES,
  AUDIO_CLASSES,
  type AudioAugmentResponse,
  type AudioAugmentTechniques,
  type AudioBalanceResponse,
  type AudioEvent,
  type ImportResult,
} from '../../../src-shared/contract/index.js';
import { AppError } from '../errors.js';
import { refuseWhileTraining, type ServiceContext } from '../services/context.js';
import { writeDatasetJson } from '../services/dataset-json.js';
import { deriveSeed, mulberry32, shuffleInPlace } from '../splits/prng.js';
import type { ItemRow } from '../store/repos/types.js';
import type { StagedFile } from '../workspace/import-types.js';
import { safeJoin } from '../workspace/layout.js';
import {
  ALL_TECHNIQUES,
  drawRecipe,
  importFailure,
  planTechniques,
  type StagedCopy,
  type TechniquePlan,
} from './augment-copies.js';
import type { AugmentCopies } from './augment-job.js';

/** What the tools need of the portal's service (its project, its one-at-a-time chain, decoding). */
export interface DatasetKit {
  readonly ctx: ServiceContext;
  projectId(): string | null;
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  audioItems(projectId: string): ItemRow[];
  /** The row's blob on disk; a clear 404 when it is missing from the workspace. */
  blobFile(projectId: string, row: ItemRow): Promise<string>;
  /** Makes the copies off the main thread (a job of the project). */
  runCopies(projectId: string, copies: AugmentCopies): Promise<StagedCopy[]>;
  putEvents(projectId: string, hash: string, events: readonly AudioEvent[]): Promise<void>;
  /** Runs the platform import of staged files and waits for it. */
  importStaged(
    projectId: string,
    files: readonly StagedFile[],
  ): Promise<{ result: ImportResult | null; status: string }>;
}

/** More copies than this in one request is refused (a typo'd factor on a big dataset). */
const MAX_COPIES = 5000;

const bad = (message: string): AppError => new AppError('bad_request', message);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const distribution = (rows: readonly ItemRow[]): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const r of rows) if (r.class_name !== null) out[r.class_name] = (out[r.class_name] ?? 0) + 1;
  return out;
};

interface Plan {
  readonly source: ItemRow;
  readonly copy: string;
}

export function createDatasetTools(kit: DatasetKit) {
  const { ctx } = kit;
  const active = (id: string): ItemRow[] => kit.audioItems(id).filter((r) => r.excluded === 0);

  /** Makes, imports and links the copies; returns those the dataset did not already hold. */
  async function makeCopies(
    id: string,
    plans: readonly Plan[],
    techniques: TechniquePlan,
    seed: number,
  ): Promise<{ created: StagedCopy[]; alreadyPresent: number }> {
    const rows = new Map(kit.audioItems(id).map((r) => [r.id, r]));
    const copies: AugmentCopies = await Promise.all(
      plans.map(async ({ source, copy }) => {
        const root = rows.get(source.source_item_id ?? source.id) ?? source;
        return {
          file: await kit.blobFile(id, source),
          source: {
            id: source.id,
            filename: source.filename,
            hash: source.hash,
            class_name: source.class_name,
          },
          root: { id: root.id, filename: root.filename },
          recipe: drawRecipe(techniques, seed, source, copy),
        };
      }),
    );
    const staged: StagedCopy[] = [];
    let alreadyPresent = 0;
    let handed = false;
    const made = await kit.runCopies(id, copies);
    try {
      const hashes = new Set<string>();
      for (const m of made) {
        // A copy the dataset already holds (the same seed again) is not imported twice.
        if (hashes.has(m.hash) || ctx.store.items.hasHash(id, m.hash)) {
          alreadyPresent++;
          await rm(m.staged.tempPath, { force: true });
        } else {
          hashes.add(m.hash);
          staged.push(m);
        }
      }
      ctx.store.items.addPendingLineage(
        id,
        staged.map((s) => ({
          hash: s.hash,
          sourceItemId: s.rootId,
          augmentation: JSON.stringify(s.recipe),
        })),
      );
      handed = true;
      if (staged.length === 0) return { created: [], alreadyPresent };
      const { result, status } = await kit.importStaged(
        id,
        staged.map((s) => s.staged),
      );
      const failed = importFailure(result, status);
      if (failed) throw failed;
    } finally {
      // Lineage an import did not take (duplicates) must not wait for some later file.
      ctx.store.items.clearPendingLineage(id);
      if (!handed) await Promise.all(made.map((m) => rm(m.staged.tempPath, { force: true })));
    }
    const created: StagedCopy[] = [];
    for (const s of staged) {
      const row = ctx.store.items.get(id, s.staged.relativePath);
      if (row?.source_item_id !== s.rootId || row.hash !== s.hash) continue;
      await kit.putEvents(id, s.hash, s.events);
      created.push(s);
    }
    return { created, alreadyPresent: alreadyPresent + staged.length - created.length };
  }

  return {
    augment(input: {
      techniques: AudioAugmentTechniques;
      factor: number;
      target_classes: 'all' | readonly string[];
      seed: number;
    }): Promise<AudioAugmentResponse> {
      // Everything about the request is checked before anything is read or written.
      const unknown = (input.target_classes === 'all' ? [] : input.target_classes).filter(
        (c) => !(AUDIO_CLASSES as readonly string[]).includes(c),
      );
      if (unknown.length > 0) {
        throw bad(
          `Unknown class ${unknown.map((c) => JSON.stringify(c)).join(', ')} in target_classes; ` +
            `expected "all" or some of ${AUDIO_CLASSES.join(', ')}`,
        );
      }
      const plan = planTechniques(input.techniques);
      const names = AUDIO_AUGMENT_TECHNIQUES.filter((t) => plan[t] !== undefined);
      if (names.length === 0) {
        throw bad(`No technique turned on; choose from ${AUDIO_AUGMENT_TECHNIQUES.join(', ')}`);
      }
      const targets =
        input.target_classes === 'all' ? [...AUDIO_CLASSES] : [...new Set(input.target_classes)];
      return kit.exclusive(async () => {
        const id = kit.projectId();
        const sources =
          id === null ? [] : active(id).filter((r) => targets.includes(r.class_name ?? ''));
        if (id === null || sources.length === 0) {
          throw bad(`No files to augment in ${targets.join(', ')}; upload some first`);
        }
        if (sources.length * input.factor > MAX_COPIES) {
          throw bad(
            `${sources.length} files × factor ${input.factor} would make more than ${MAX_COPIES} copies`,
          );
        }
        const plans = sources.flatMap((source) =>
          Array.from({ length: input.factor }, (_, k) => ({ source, copy: `augment:${k}` })),
        );
        const { created, alreadyPresent } = await makeCopies(id, plans, plan, input.seed);
        const classes: Record<string, { sources: number; created: number }> = {};
        for (const t of targets) classes[t] = { sources: 0, created: 0 };
        for (const s of sources) classes[s.class_name as string]!.sources += 1;
        for (const c of created) classes[c.classLabel]!.created += 1;
        await writeDatasetJson(ctx, id);
        return {
          success: true as const,
          message:
            `Augmented ${plural(sources.length, 'file')} into ${plural(created.length, 'new file')}` +
            (alreadyPresent > 0 ? ` (${alreadyPresent} identical copies were already there)` : ''),
          details: {
            techniques: names,
            factor: input.factor,
            seed: input.seed,
            target_classes: targets,
            classes,
            total_created: created.length,
            already_present: alreadyPresent,
            created_files: created.map((c) => ({
              filename: c.staged.relativePath,
              class_label: c.classLabel,
              source: c.root,
              recipe: c.recipe,
            })),
          },
        };
      });
    },

    balance(input: {
      method: 'oversample' | 'undersample' | 'restore';
      seed: number;
    }): Promise<AudioBalanceResponse> {
      return kit.exclusive(async () => {
        const id = kit.projectId();
        const all = id === null ? [] : kit.audioItems(id).filter((r) => r.class_name !== null);
        if (id === null || all.length === 0) throw bad('The dataset has no files to balance');
        const before = active(id);
        const original = distribution(before);
        const counts = Object.values(original);
        let created = 0;
        let removed = 0;
        let excluded = 0;
        let restored = 0;
        if (input.method === 'restore') {
          const ids = all.filter((r) => r.excluded === 1).map((r) => r.id);
          restored = ctx.store.items.setExcluded(id, ids, false);
        } else if (input.method === 'oversample') {
          const target = Math.max(...counts);
          const plans: Plan[] = [];
          for (const [cls, n] of Object.entries(original)) {
            const inClass = before.filter((r) => r.class_name === cls);
            const roots = inClass.filter((r) => r.source_item_id === null);
            const pool = roots.length > 0 ? roots : inClass;
            // Copy indexes continue after the copies each root already has, so a later balance
            // (after more uploads) draws new recipes rather than repeating old ones.
            const made = new Map<number, number>();
            for (const r of inClass) {
              if (r.source_item_id !== null) {
                made.set(r.source_item_id, (made.get(r.source_item_id) ?? 0) + 1);
              }
            }
            for (let k = 0; k < target - n; k++) {
              const source = pool[k % pool.length]!;
              const index = made.get(source.id) ?? 0;
              made.set(source.id, index + 1);
              plans.push({ source, copy: `balance:${index}` });
            }
          }
          if (plans.length > MAX_COPIES) {
            throw bad(`Balancing would make ${plans.length} copies, more than ${MAX_COPIES}`);
          }
          created = (await makeCopies(id, plans, ALL_TECHNIQUES, input.seed)).created.length;
        } else {
          refuseWhileTraining(ctx, id, 'undersample the dataset');
          const target = Math.min(...counts);
          const drop: ItemRow[] = [];
          const exclude: number[] = [];
          for (const [cls, n] of Object.entries(original)) {
            let excess = n - target;
            const inClass = before.filter((r) => r.class_name === cls);
            // Copies go first: they are derived and can be made again; originals are only set
            // aside (excluded), never deleted.
            const copies = inClass.filter((r) => r.source_item_id !== null).reverse();
            for (const c of copies.slice(0, excess)) drop.push(c);
            excess -= Math.min(excess, copies.length);
            const originals = inClass.filter((r) => r.source_item_id === null);
            shuffleInPlace(originals, mulberry32(deriveSeed(input.seed, `undersample:${cls}`)));
            for (const o of originals.slice(0, excess)) exclude.push(o.id);
          }
          removed = ctx.store.items.deleteByIds(
            id,
            drop.map((r) => r.id),
          );
          excluded = ctx.store.items.setExcluded(id, exclude, true);
          for (const r of drop) {
            // Blobs are content-addressed and may be shared; only an unreferenced one goes.
            if (ctx.store.items.blobRefs(id, r.blob_path) === 0) {
              await rm(safeJoin(ctx.layout.projectDir(id), r.blob_path), { force: true });
            }
          }
        }
        await writeDatasetJson(ctx, id);
        const after = distribution(active(id));
        return {
          success: true as const,
          message: `Dataset balanced by ${input.method}`,
          method: input.method,
          original_distribution: original,
          new_distribution: after,
          created_files: created,
          removed_copies: removed,
          excluded_files: excluded,
          restored_files: restored,
        };
      });
    },
  };
}

export type DatasetTools = ReturnType<typeof createDatasetTools>;
