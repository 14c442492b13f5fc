/**
 * Opens the SQLite file and brings its schema up: an append-only revision log (one
 * row per write, the row id is the revision), a table of the latest live row per
 * key, and a small meta table holding the compacted revision.
 */
import Database from 'better-sqlite3';

export type Connection = Database.Database;

/** The WAL is cut back to this size whenever a checkpoint empties it. */
const WAL_SIZE_LIMIT_BYTES = 8 * 1024 * 1024;

/** How long to wait before trying again to open a file another process is setting up. */
const OPEN_RETRY_MS = 20;

/**
 * Opens the file, retrying for up to `busyTimeoutMs` while another process (a
 * worker of the same server) is switching a new file to WAL or creating the
 * schema: SQLite answers SQLITE_BUSY there without waiting on its busy handler.
 */
export function openConnection(file: string, busyTimeoutMs: number): Connection {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      return openOnce(file, busyTimeoutMs);
    } catch (err) {
      if (!String((err as { code?: string }).code).startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, OPEN_RETRY_MS);
    }
  }
}

function openOnce(file: string, busyTimeoutMs: number): Connection {
  const db = new Database(file, { timeout: busyTimeoutMs });
  try {
    return setUp(db);
  } catch (err) {
    db.close();
    throw err;
  }
}

function setUp(db: Connection): Connection {
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a commit survives a crash of the process (the WAL is in the
  // OS's hands) but the last commits can be lost on power loss. FULL would fsync on
  // every commit, and better-sqlite3 would stop the event loop for each of them.
  db.pragma('synchronous = NORMAL');
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
  db.transaction(() => createSchema(db)).immediate();
  return db;
}

function createSchema(db: Connection): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS log (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      deleted INTEGER NOT NULL,
      prev_revision INTEGER NOT NULL,
      value TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id);
    CREATE TABLE IF NOT EXISTS current (
      name TEXT PRIMARY KEY,
      id INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS meta (
      key TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    ) WITHOUT ROWID;
    INSERT OR IGNORE INTO meta (key, value) VALUES ('compact_revision', 0);
  `);
  // Revision 1 is the empty database, so no list ever reports resourceVersion "0",
  // which clients read as "any".
  const seeded = db.prepare(`SELECT 1 FROM sqlite_sequence WHERE name = 'log'`).get();
  if (!seeded) db.prepare(`INSERT INTO sqlite_sequence (name, seq) VALUES ('log', 1)`).run();
}
