import { openDatabase, type Db } from './database.js';
import { migrate, schemaVersion } from './migrator.js';
import { migrations } from './migrations/index.js';
import { createExperimentsRepo } from './repos/experiments-repo.js';
import { createEvaluationsRepo, type EvaluationsRepo } from './repos/evaluations-repo.js';
import { createExportsRepo, type ExportsRepo } from './repos/exports-repo.js';
import { createCurationRepo, type CurationRepo } from './repos/curation-repo.js';
import { createItemsRepo } from './repos/items-repo.js';
import { createJobsRepo } from './repos/jobs-repo.js';
import { createProjectsRepo } from './repos/projects-repo.js';
import { createRunsRepo } from './repos/runs-repo.js';
import { createSplitsRepo } from './repos/splits-repo.js';
import { createTrainingSourcesRepo } from './repos/training-sources-repo.js';
import type { ExperimentsRepo, RunsRepo, TrainingSourcesRepo } from './repos/training-types.js';
import type { ItemsRepo, JobsRepo, ProjectsRepo, SplitsRepo } from './repos/types.js';

export interface Store {
  readonly db: Db;
  readonly schemaVersion: number;
  readonly projects: ProjectsRepo;
  readonly items: ItemsRepo;
  /** Relabels and deletes of items, their undo, and the labels each run was made with. */
  readonly curation: CurationRepo;
  readonly splits: SplitsRepo;
  readonly jobs: JobsRepo;
  readonly experiments: ExperimentsRepo;
  readonly runs: RunsRepo;
  readonly trainingSources: TrainingSourcesRepo;
  readonly exports: ExportsRepo;
  readonly evaluations: EvaluationsRepo;
  /** Runs `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T;
  close(): void;
}

export interface OpenStoreOptions {
  readonly now?: () => Date;
}

/** Opens (creating if needed) and migrates the workspace database; throws MigrationError on a tampered schema. */
export function openStore(dbPath: string, options: OpenStoreOptions = {}): Store {
  const db = openDatabase(dbPath);
  try {
    migrate(db, migrations, { now: options.now });
    return {
      db,
      schemaVersion: schemaVersion(db),
      projects: createProjectsRepo(db),
      items: createItemsRepo(db),
      curation: createCurationRepo(db),
      splits: createSplitsRepo(db),
      jobs: createJobsRepo(db),
      experiments: createExperimentsRepo(db),
      runs: createRunsRepo(db),
      trainingSources: createTrainingSourcesRepo(db),
      exports: createExportsRepo(db),
      evaluations: createEvaluationsRepo(db),
      transaction: <T>(fn: () => T): T => db.transaction(fn)(),
      close: () => {
        if (db.open) db.close();
      },
    };
  } catch (err) {
    db.close();
    throw err;
  }
}
