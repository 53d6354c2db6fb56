import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import type { Migration } from './migrations/migration.js';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export interface AppliedMigration {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly applied_at: string;
}

export const migrationChecksum = (m: Migration): string =>
  createHash('sha256').update(m.up, 'utf8').digest('hex');

export interface MigrateOptions {
  /** Stop after this version (tests migrate to N-1, insert rows, then migrate the rest). */
  readonly target?: number;
  readonly now?: () => Date;
}

/**
 * Brings the schema up to date, one transaction per migration. Refuses to run (throws MigrationError)
 * when an applied migration's SQL was edited since, when the database knows a version this build does
 * not (it was opened by a newer Assay), or when the list itself is out of order.
 * Returns the versions it applied.
 */
export function migrate(db: Db, all: readonly Migration[], options: MigrateOptions = {}): number[] {
  const now = options.now ?? (() => new Date());
  checkList(all);
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const applied = new Map(
    (
      db
        .prepare('SELECT version, name, checksum, applied_at FROM schema_migrations')
        .all() as AppliedMigration[]
    ).map((row) => [row.version, row]),
  );
  const known = new Map(all.map((m) => [m.version, m]));
  for (const row of applied.values()) {
    const m = known.get(row.version);
    if (!m) {
      throw new MigrationError(
        `the database has migration ${row.version} (${row.name}), which this version of Assay does not know; ` +
          'it was opened by a newer version',
      );
    }
    if (migrationChecksum(m) !== row.checksum) {
      throw new MigrationError(
        `migration ${row.version} (${row.name}) was changed after it was applied to this database ` +
          `(checksum ${row.checksum.slice(0, 12)}… recorded, ${migrationChecksum(m).slice(0, 12)}… now); refusing to start`,
      );
    }
  }

  const record = db.prepare(
    'INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)',
  );
  const done: number[] = [];
  for (const m of all) {
    if (applied.has(m.version)) continue;
    if (options.target !== undefined && m.version > options.target) break;
    const apply = db.transaction(() => {
      db.exec(m.up);
      if (m.foreignKeysOff) {
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) {
          throw new MigrationError(
            `migration ${m.version} (${m.name}) leaves ${broken.length} broken foreign keys`,
          );
        }
      }
      record.run(m.version, m.name, migrationChecksum(m), now().toISOString());
    });
    // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched around it.
    if (m.foreignKeysOff) db.pragma('foreign_keys = OFF');
    try {
      apply.immediate();
    } finally {
      if (m.foreignKeysOff) db.pragma('foreign_keys = ON');
    }
    done.push(m.version);
  }
  return done;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as
    { v: number | null } | undefined;
  return row?.v ?? 0;
}

function checkList(all: readonly Migration[]): void {
  all.forEach((m, i) => {
    if (m.version !== i + 1) {
      throw new MigrationError(
        `migration list out of order: position ${i + 1} holds version ${m.version} (${m.name})`,
      );
    }
  });
}
