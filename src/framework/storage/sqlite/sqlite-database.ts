/**
 * The embedded storage backend: one SQLite file in WAL mode holding a revisioned
 * log in the manner of k3s's kine. Any number of storages (one per key prefix) and
 * any number of processes share one file; watches see every process's writes.
 * It looks after itself: superseded revisions are compacted automatically behind a
 * window, and SQLite's own checkpoints (every 1000 WAL pages, by the committing
 * connection) keep the WAL short; one of ours after each compaction only doubled
 * that work, with its fsync, at a tenth of the create rate.
 *
 * Durability: WAL with synchronous=NORMAL. An acknowledged write survives a crash or
 * kill of the process; a power loss can take the last commits with it. That is the
 * price of not stopping the event loop for an fsync on every commit.
 */
import { StorageError } from '../errors';
import { DEFAULT_STORAGE_PREFIX, normalizePrefix } from '../keys';
import { Compactor } from './compactor';
import { RevisionLog } from './revision-log';
import { openConnection } from './schema';
import { SqliteStorage, type SqliteStorageContext } from './sqlite-storage';
import { WatchHub } from './watch-hub';
import { WriteBatcher } from './write-batcher';

export interface SqliteDatabaseOptions {
  /** The database file; created when missing. */
  file: string;
  /** Revisions kept behind the newest one by automatic compaction (default 1000, as kine). */
  compactionWindow?: number;
  /** How often the log is read for other processes' writes while watches exist (default 100 ms). */
  pollIntervalMs?: number;
  /** Period of progress bookmarks for watches that ask for them (default 1000 ms). */
  progressIntervalMs?: number;
  /** How long a write waits for another process's transaction before failing as Unavailable (default 5000 ms). */
  busyTimeoutMs?: number;
}

export class SqliteDatabase {
  private readonly context: SqliteStorageContext;

  private constructor(options: SqliteDatabaseOptions) {
    const log = new RevisionLog(openConnection(options.file, options.busyTimeoutMs ?? 5000));
    const hub = new WatchHub(log, options.pollIntervalMs ?? 100);
    const compactor = new Compactor(log, options.compactionWindow ?? 1000);
    const writes = new WriteBatcher(log, (rows) => {
      hub.committed(rows);
      compactor.noteRevision(rows[rows.length - 1].id);
    });
    this.context = { log, hub, compactor, writes, progressIntervalMs: options.progressIntervalMs ?? 1000 };
  }

  /** Opens (or creates) the database file. */
  static open(options: SqliteDatabaseOptions): SqliteDatabase {
    return new SqliteDatabase(options);
  }

  /** A storage for the keys below `prefix` (default `/registry`). */
  storage(prefix: string = DEFAULT_STORAGE_PREFIX): SqliteStorage {
    return new SqliteStorage(this.context, normalizePrefix(prefix));
  }

  async healthCheck(): Promise<void> {
    if (!this.context.log.isOpen) throw new StorageError('Unavailable', '', 'the sqlite database is closed');
    this.context.log.currentRevision();
  }

  /** Ends every watch, finishes a compaction under way and closes the file. */
  async close(): Promise<void> {
    if (!this.context.log.isOpen) return;
    // Every watch of every storage is a hub subscriber.
    this.context.hub.stopAll();
    await this.context.compactor.close();
    this.context.log.close();
  }
}
