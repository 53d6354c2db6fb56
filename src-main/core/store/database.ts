import Database from 'better-sqlite3';

export type Db = Database.Database;

/**
 * Opens the workspace database with the settings every connection must have.
 * synchronous=FULL: with WAL the default NORMAL can lose the last commits on power loss; a lab's
 * dataset labels are worth the extra fsync. busy_timeout: a second process (or a tool like sqlite3)
 * holding the lock briefly must not surface as an error.
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
