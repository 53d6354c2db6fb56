/** One schema step. Files are named `NNNN-name.ts` and listed in `index.ts` in order. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  /** SQL run in one transaction. Never edit it once released: its checksum is recorded. */
  readonly up: string;
  /**
   * Table rebuilds (SQLite's way to change constraints) need foreign keys off while they run;
   * the migrator turns them off outside the transaction and runs `foreign_key_check` before commit.
   */
  readonly foreignKeysOff?: boolean;
}
