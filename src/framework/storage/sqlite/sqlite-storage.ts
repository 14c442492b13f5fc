/**
 * StorageInterface over the SQLite revision log, below one key prefix. Reads are
 * synchronous SQLite queries inside one read transaction; writes go through the
 * group-commit batcher and are compare-and-swap on the key's latest revision.
 */
import { StorageError } from '../errors';
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  ListResult,
  Preconditions,
  StorageInterface,
  StoredObject,
  UpdateOptions,
  Watcher,
  WatchOptions,
} from '../interface';
import { continueExpiredError, decodeContinue, encodeContinue, parseResourceVersion, prefixRangeEnd } from '../keys';
import type { Compactor } from './compactor';
import { decodeObject, encodeObject } from './object-codec';
import type { LatestRow, RevisionLog, WriteOp, WriteOutcome } from './revision-log';
import { SqliteWatcher } from './sqlite-watcher';
import type { WatchHub } from './watch-hub';
import type { WriteBatcher } from './write-batcher';

/** The parts of an open database a storage works with. */
export interface SqliteStorageContext {
  log: RevisionLog;
  writes: WriteBatcher;
  hub: WatchHub;
  compactor: Compactor;
  progressIntervalMs: number;
}

/** The most rows read per query while filling a list page. */
const LIST_BATCH = 1000;
/** No LIMIT, in SQLite's spelling. */
const ALL_ROWS = -1;

export class SqliteStorage implements StorageInterface {
  private readonly watchers = new Set<SqliteWatcher>();

  /** @param prefix the backend prefix in canonical form (see normalizePrefix), e.g. `/registry` */
  constructor(
    private readonly context: SqliteStorageContext,
    private readonly prefix: string,
  ) {}

  async create(key: string, obj: StoredObject): Promise<StoredObject> {
    const value = encodeObject(obj);
    const outcome = await this.write(key, { kind: 'create', name: this.prefix + key, value });
    if (!outcome.ok) throw new StorageError('AlreadyExists', key, `key already exists: ${key}`);
    return decodeObject(value, outcome.row.id);
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    this.ensureOpen(key);
    const minimum = parseResourceVersion(opts.resourceVersion, key);
    const { log } = this.context;
    const row = log.snapshot(() => {
      this.checkNotNewer(key, minimum, log.currentRevision());
      return log.latest(this.prefix + key);
    });
    if (row) return decodeObject(row.value, row.id);
    if (opts.ignoreNotFound) return null;
    throw notFound(key);
  }

  async list(prefixKey: string, opts: ListOptions = {}): Promise<ListResult> {
    this.ensureOpen(prefixKey);
    const { log } = this.context;
    const rangeStart = this.prefix + prefixKey;
    const rangeEnd = prefixRangeEnd(rangeStart);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    return log.snapshot(() => {
      const current = log.currentRevision();
      const { revision, from } = this.listPosition(prefixKey, rangeStart, opts, current);
      // The live-row table is the state at the current revision; older ones need the history.
      const read = (start: string, batch: number): LatestRow[] =>
        revision === current ? log.latestInRange(start, rangeEnd, batch) : log.atRevisionInRange(revision, start, rangeEnd, batch);
      const items: StoredObject[] = [];
      let lastKept = '';
      let start = from;
      // One row past the limit tells whether more remain; batches grow when the predicate drops rows.
      let batch = limit ? Math.min(limit + 1, LIST_BATCH) : ALL_ROWS;
      for (;;) {
        const rows = read(start, batch);
        for (const row of rows) {
          if (limit && items.length === limit) {
            return { items, resourceVersion: String(revision), continue: encodeContinue(lastKept, rangeStart, revision) };
          }
          const obj = decodeObject(row.value, row.id);
          if (opts.predicate && !opts.predicate(obj)) continue;
          items.push(obj);
          lastKept = row.name;
        }
        if (!limit || rows.length < batch) return { items, resourceVersion: String(revision) };
        start = `${rows[rows.length - 1].name}\u0000`;
        batch = Math.min(batch * 2, LIST_BATCH);
      }
    });
  }

  async guaranteedUpdate(key: string, opts: UpdateOptions): Promise<StoredObject> {
    const name = this.prefix + key;
    // A read here costs microseconds, so opts.suggestion is not needed: every attempt reads afresh.
    for (;;) {
      const current = this.readLatest(key);
      if (!current && !opts.ignoreNotFound) throw notFound(key);
      const currentObj = current ? decodeObject(current.value, current.id) : null;
      if (currentObj) checkPreconditions(key, currentObj, opts.preconditions);
      const value = encodeObject(await opts.tryUpdate(currentObj));
      if (current && value === current.value) return decodeObject(current.value, current.id);
      const op: WriteOp = current
        ? { kind: 'update', name, expectedId: current.id, value, prevValue: current.value }
        : { kind: 'create', name, value };
      const outcome = await this.write(key, op);
      if (outcome.ok) return decodeObject(value, outcome.row.id);
      // Lost the compare-and-swap to another writer: try again on the new state.
    }
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<StoredObject> {
    const name = this.prefix + key;
    for (;;) {
      const current = this.readLatest(key);
      if (!current) throw notFound(key);
      const currentObj = decodeObject(current.value, current.id);
      checkPreconditions(key, currentObj, opts.preconditions);
      if (opts.validateDeletion) await opts.validateDeletion(currentObj);
      const outcome = await this.write(key, { kind: 'delete', name, expectedId: current.id, prevValue: current.value });
      if (outcome.ok) return decodeObject(current.value, outcome.row.id);
    }
  }

  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    this.ensureOpen(key);
    const requested = parseResourceVersion(opts.resourceVersion, key);
    const { log, hub, progressIntervalMs } = this.context;
    const name = this.prefix + key;
    const range = opts.recursive ? { start: name, end: prefixRangeEnd(name) } : { start: name, end: `${name}\u0000` };
    const watcher = new SqliteWatcher({
      log,
      hub,
      range,
      predicate: opts.predicate,
      progressIntervalMs: opts.progressNotify ? progressIntervalMs : 0,
      onEnd: (w) => this.watchers.delete(w),
    });
    this.watchers.add(watcher);
    try {
      if (requested === 0 || opts.sendInitialEvents) {
        const { revision, initial } = log.snapshot(() => {
          const current = log.currentRevision();
          this.checkNotNewer(key, requested, current);
          const rows = opts.recursive ? log.latestInRange(range.start, range.end, ALL_ROWS) : [log.latest(name)].filter((r) => r !== undefined);
          return { revision: current, initial: rows };
        });
        watcher.start(revision, initial, opts.sendInitialEvents === true);
      } else {
        watcher.start(requested);
      }
    } catch (err) {
      watcher.stop();
      throw err;
    }
    return watcher;
  }

  async count(prefixKey: string): Promise<number> {
    this.ensureOpen(prefixKey);
    const start = this.prefix + prefixKey;
    return this.context.log.countInRange(start, prefixRangeEnd(start));
  }

  async currentRevision(): Promise<string> {
    this.ensureOpen('');
    return String(this.context.log.currentRevision());
  }

  async compact(revision: string): Promise<void> {
    this.ensureOpen('');
    await this.context.compactor.compact(parseResourceVersion(revision, ''));
  }

  async healthCheck(): Promise<void> {
    this.ensureOpen('');
    this.context.log.currentRevision();
  }

  /** Ends this storage's watches; the database stays open for its other storages. */
  async close(): Promise<void> {
    for (const w of [...this.watchers]) w.stop();
  }

  /** Resolves the list's revision and first key from resourceVersion, match and continue. */
  private listPosition(key: string, rangeStart: string, opts: ListOptions, current: number): { revision: number; from: string } {
    const { log } = this.context;
    if (opts.continue) {
      const token = decodeContinue(opts.continue, key);
      if (token.rv < log.compactRevision()) throw continueExpiredError(key, current);
      this.checkNotNewer(key, token.rv, current);
      return { revision: token.rv, from: rangeStart + token.start };
    }
    const requested = parseResourceVersion(opts.resourceVersion, key);
    this.checkNotNewer(key, requested, current);
    if (opts.resourceVersionMatch === 'Exact' && requested > 0) {
      if (requested < log.compactRevision()) {
        throw new StorageError('Expired', key, 'The resourceVersion for the provided list is too old.', String(current));
      }
      return { revision: requested, from: rangeStart };
    }
    return { revision: current, from: rangeStart };
  }

  private checkNotNewer(key: string, requested: number, current: number): void {
    if (requested > current) {
      throw new StorageError('TooLargeResourceVersion', key, `Too large resource version: ${requested}, current: ${current}`, String(current));
    }
  }

  private readLatest(key: string): LatestRow | undefined {
    this.ensureOpen(key);
    return this.context.log.latest(this.prefix + key);
  }

  private async write(key: string, op: WriteOp): Promise<WriteOutcome> {
    this.ensureOpen(key);
    try {
      return await this.context.writes.submit(op);
    } catch (err) {
      if (!this.context.log.isOpen || isBusy(err)) {
        throw new StorageError('Unavailable', key, `the sqlite database is unavailable: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  private ensureOpen(key: string): void {
    if (!this.context.log.isOpen) throw new StorageError('Unavailable', key, 'the sqlite database is closed');
  }
}

function notFound(key: string): StorageError {
  return new StorageError('NotFound', key, `key not found: ${key}`);
}

function checkPreconditions(key: string, current: StoredObject, preconditions: Preconditions | undefined): void {
  if (!preconditions) return;
  if (preconditions.uid !== undefined && preconditions.uid !== current.metadata.uid) {
    throw new StorageError('Conflict', key, `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ''}`);
  }
  if (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== current.metadata.resourceVersion) {
    throw new StorageError(
      'Conflict',
      key,
      `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
    );
  }
}

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
