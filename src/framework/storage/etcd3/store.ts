import type { IKeyValue, IRangeResponse, KVClient } from 'etcd3';
import { StorageError } from '../errors';
import { continueExpiredError, decodeContinue, DEFAULT_STORAGE_PREFIX, encodeContinue, normalizePrefix, parseResourceVersion } from '../keys';
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  ListResult,
  SelectionPredicate,
  StorageInterface,
  StoredObject,
  UpdateOptions,
  WatchEvent,
  WatchOptions,
  Watcher,
} from '../interface';
import type { EtcdCluster } from './cluster';
import { decodeObject, encodeObject, withResourceVersion } from './codec';
import { compactHistory } from './compactor';
import { isCompactedError, isFutureRevisionError, translateError } from './etcd-errors';
import { etcdKey, etcdPrefixKey, etcdRangeEnd, keySuccessor } from './keys';
import { checkPreconditions } from './preconditions';
import { EtcdWatch } from './watch';

export interface Etcd3StorageOptions {
  /** Prefix of every key this storage writes (--etcd-prefix); default /registry. */
  prefix?: string;
}

/** Keys per etcd range call when reading many: 1,000 objects of 1 KiB stay far below gRPC message limits. */
const RANGE_PAGE_SIZE = 1000;

/** A key as last read: the object, its stored bytes and the revision to compare-and-swap against (0: absent). */
interface KeyState {
  obj: StoredObject | null;
  value?: Buffer;
  modRevision: number;
  /** Read from etcd, rather than taken from a caller's suggestion that may be stale. */
  confirmed: boolean;
}

/** Where and how a range read happens. */
interface RangeRead {
  start: Buffer;
  /** Exclusive end of a prefix range; unset reads the single key `start`. */
  end?: Buffer;
  /** The revision to read at; 0 reads the latest and pins the following pages to it. */
  revision: number;
  /** Any member's local state will do (resourceVersion "0"). */
  serializable: boolean;
  /** Fail with TooLargeResourceVersion when the latest revision is older than this. */
  notOlderThan: number;
  /** Stop once this many objects passed the predicate; 0 = read to the end. */
  limit: number;
  predicate?: SelectionPredicate;
}

interface RangeResult {
  items: StoredObject[];
  revision: number;
  /** The last key returned, when the limit stopped the read before the end. */
  lastKey?: Buffer;
  /** Keys after the last returned one, when known without filtering. */
  remaining?: number;
}

/**
 * StorageInterface over etcd v3 (3.4 or later). Objects are JSON under
 * `<prefix><key>`; an object's resourceVersion is the key's mod_revision. Each
 * write is one etcd transaction guarded by the revision the writer read (create:
 * "key absent"); a lost race reads the key again in that same transaction.
 */
export class Etcd3Storage implements StorageInterface {
  private readonly prefix: string;
  private readonly kv: KVClient;
  private readonly watches = new Set<EtcdWatch>();
  private closed = false;

  constructor(
    private readonly cluster: EtcdCluster,
    options: Etcd3StorageOptions = {},
  ) {
    this.prefix = normalizePrefix(options.prefix ?? DEFAULT_STORAGE_PREFIX);
    this.kv = cluster.client.kv;
    cluster.retain();
  }

  async create(key: string, obj: StoredObject): Promise<StoredObject> {
    if (obj.metadata.resourceVersion) {
      throw new StorageError('InvalidArgument', key, 'resourceVersion should not be set on objects to be created');
    }
    const target = etcdKey(this.prefix, key);
    const response = await this.call(key, () =>
      this.kv.txn({
        compare: [{ key: target, target: 'Mod', result: 'Equal', mod_revision: 0 }],
        success: [{ request_put: { key: target, value: encodeObject(obj) } }],
      }),
    );
    if (!response.succeeded) throw new StorageError('AlreadyExists', key, `key ${key} already exists`);
    return withResourceVersion(obj, response.header.revision);
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    const resourceVersion = opts.resourceVersion ?? '';
    const notOlderThan = parseResourceVersion(resourceVersion, key);
    const response = await this.call(key, () => this.kv.range({ key: etcdKey(this.prefix, key), serializable: resourceVersion === '0' }));
    this.checkNotOlderThan(key, notOlderThan, Number(response.header.revision));
    const [kv] = response.kvs;
    if (kv) return decodeObject(key, kv.value, kv.mod_revision);
    if (opts.ignoreNotFound) return null;
    throw notFound(key);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const listed = etcdPrefixKey(this.prefix, prefix);
    const read: RangeRead = {
      start: listed,
      end: etcdRangeEnd(listed),
      revision: 0,
      serializable: false,
      notOlderThan: 0,
      limit: opts.limit && opts.limit > 0 ? opts.limit : 0,
      predicate: opts.predicate,
    };
    const resourceVersion = opts.resourceVersion ?? '';
    if (opts.continue) {
      const token = decodeContinue(opts.continue, prefix);
      read.start = Buffer.concat([listed, Buffer.from(token.start, 'utf8')]);
      read.revision = token.rv;
    } else if (resourceVersion === '0') {
      if (opts.resourceVersionMatch === 'Exact') {
        throw new StorageError('InvalidArgument', prefix, 'resourceVersionMatch "Exact" is forbidden for resourceVersion "0"');
      }
      read.serializable = true;
    } else if (resourceVersion !== '') {
      const revision = parseResourceVersion(resourceVersion, prefix);
      if (opts.resourceVersionMatch === 'Exact') read.revision = revision;
      else read.notOlderThan = revision;
    }

    let result: RangeResult;
    try {
      result = await this.readRange(prefix, read);
    } catch (err) {
      throw await this.explainRevisionError(err, prefix, read.revision, Boolean(opts.continue));
    }
    return {
      items: result.items,
      resourceVersion: String(result.revision),
      ...(result.lastKey && { continue: encodeContinue(result.lastKey.toString('utf8'), listed.toString('utf8'), result.revision) }),
      ...(result.remaining !== undefined && { remainingItemCount: result.remaining }),
    };
  }

  async guaranteedUpdate(key: string, opts: UpdateOptions): Promise<StoredObject> {
    const target = etcdKey(this.prefix, key);
    const suggested = opts.suggestion?.metadata.resourceVersion;
    let current: KeyState =
      opts.suggestion && suggested
        ? { obj: opts.suggestion, value: encodeObject(opts.suggestion), modRevision: parseResourceVersion(suggested, key), confirmed: false }
        : await this.readKey(key, target);
    for (;;) {
      if (!current.obj && !opts.ignoreNotFound) throw notFound(key);
      let updated: StoredObject;
      try {
        if (current.obj) checkPreconditions(key, opts.preconditions, current.obj);
        updated = await opts.tryUpdate(current.obj);
      } catch (err) {
        // A stale suggestion may be why the update was refused: decide again on the stored state.
        if (!current.confirmed) {
          current = await this.readKey(key, target);
          continue;
        }
        throw err;
      }
      const value = encodeObject(updated);
      if (current.obj && current.value?.equals(value)) {
        if (current.confirmed) return current.obj;
        current = await this.readKey(key, target);
        continue;
      }
      const response = await this.call(key, () =>
        this.kv.txn({
          compare: [{ key: target, target: 'Mod', result: 'Equal', mod_revision: current.modRevision }],
          success: [{ request_put: { key: target, value } }],
          failure: [{ request_range: { key: target } }],
        }),
      );
      if (response.succeeded) return withResourceVersion(updated, response.header.revision);
      // Lost the race: the failed transaction already read the key again.
      current = keyState(key, response.responses[0].response_range);
    }
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<StoredObject> {
    const target = etcdKey(this.prefix, key);
    if (!opts.preconditions && !opts.validateDeletion) {
      // Nothing to check first: one call deletes and returns the last state.
      const response = await this.call(key, () => this.kv.deleteRange({ key: target, prev_kv: true }));
      const [last] = response.prev_kvs;
      if (!last) throw notFound(key);
      return decodeObject(key, last.value, response.header.revision);
    }
    let current = await this.readKey(key, target);
    for (;;) {
      if (!current.obj) throw notFound(key);
      checkPreconditions(key, opts.preconditions, current.obj);
      await opts.validateDeletion?.(current.obj);
      const response = await this.call(key, () =>
        this.kv.txn({
          compare: [{ key: target, target: 'Mod', result: 'Equal', mod_revision: current.modRevision }],
          success: [{ request_delete_range: { key: target } }],
          failure: [{ request_range: { key: target } }],
        }),
      );
      if (response.succeeded) return withResourceVersion(current.obj, response.header.revision);
      current = keyState(key, response.responses[0].response_range);
    }
  }

  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    const start = opts.recursive ? etcdPrefixKey(this.prefix, key) : etcdKey(this.prefix, key);
    const end = opts.recursive ? etcdRangeEnd(start) : undefined;
    const resourceVersion = opts.resourceVersion ?? '';
    const requested = parseResourceVersion(resourceVersion, key);

    let afterRevision = requested;
    const initialEvents: WatchEvent[] = [];
    if (resourceVersion === '' || resourceVersion === '0' || opts.sendInitialEvents) {
      const state = await this.readRange(key, {
        start,
        end,
        revision: 0,
        serializable: resourceVersion === '0',
        notOlderThan: requested,
        limit: 0,
        predicate: opts.predicate,
      });
      for (const object of state.items) initialEvents.push({ type: 'ADDED', object });
      if (opts.sendInitialEvents) {
        initialEvents.push({
          type: 'BOOKMARK',
          object: { metadata: { resourceVersion: String(state.revision), annotations: { 'k8s.io/initial-events-end': 'true' } } },
        });
      }
      afterRevision = state.revision;
    }

    const watch = new EtcdWatch(
      this.cluster.watchStream,
      { key: start, rangeEnd: end, afterRevision, predicate: opts.predicate, progressNotify: opts.progressNotify ?? false },
      initialEvents,
      (stopped) => this.watches.delete(stopped),
    );
    this.watches.add(watch);
    return watch;
  }

  async count(prefix: string): Promise<number> {
    const listed = etcdPrefixKey(this.prefix, prefix);
    const response = await this.call(prefix, () => this.kv.range({ key: listed, range_end: etcdRangeEnd(listed), count_only: true }));
    return Number(response.count);
  }

  async currentRevision(): Promise<string> {
    return String(await this.latestRevision());
  }

  async compact(revision: string): Promise<void> {
    const target = parseResourceVersion(revision, '');
    try {
      await this.call('', () => compactHistory(this.kv, target));
    } catch (err) {
      throw await this.explainRevisionError(err, '', target, false);
    }
  }

  healthCheck(): Promise<void> {
    return this.cluster.healthCheck(this.prefix);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const watch of [...this.watches]) watch.stop();
    this.cluster.release();
  }

  /** Runs one etcd call, turning an unreachable etcd into StorageError 'Unavailable'. */
  private async call<T>(key: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (err) {
      throw translateError(err, key);
    }
  }

  private async latestRevision(): Promise<number> {
    const response = await this.call('', () => this.kv.range({ key: Buffer.from(this.prefix), count_only: true }));
    return Number(response.header.revision);
  }

  private async readKey(key: string, target: Buffer): Promise<KeyState> {
    return keyState(key, await this.call(key, () => this.kv.range({ key: target })));
  }

  /**
   * Reads objects page by page, every page at the revision of the first, until
   * the end of the range or until `limit` objects passed the predicate.
   */
  private async readRange(key: string, read: RangeRead): Promise<RangeResult> {
    const items: StoredObject[] = [];
    let { start, revision } = read;
    let pageSize = Math.min(read.limit || RANGE_PAGE_SIZE, RANGE_PAGE_SIZE);
    for (;;) {
      const response = await this.call(key, () =>
        this.kv.range({ key: start, range_end: read.end, limit: pageSize, revision, serializable: read.serializable }),
      );
      if (revision === 0) {
        revision = Number(response.header.revision);
        this.checkNotOlderThan(key, read.notOlderThan, revision);
      }
      const { kvs } = response;
      for (let i = 0; i < kvs.length; i++) {
        const obj = decodeObject(kvs[i].key.toString('utf8'), kvs[i].value, kvs[i].mod_revision);
        if (!read.predicate || read.predicate(obj)) items.push(obj);
        if (read.limit > 0 && items.length === read.limit) {
          const more = i < kvs.length - 1 || response.more;
          if (!more) return { items, revision };
          const remaining = read.predicate ? undefined : Number(response.count) - i - 1;
          return { items, revision, lastKey: kvs[i].key, remaining };
        }
      }
      if (!response.more) return { items, revision };
      start = keySuccessor(kvs[kvs.length - 1].key);
      // Filtering may drop most keys: read larger pages to fill the limit in fewer calls.
      if (read.predicate) pageSize = Math.min(pageSize * 2, RANGE_PAGE_SIZE);
    }
  }

  private checkNotOlderThan(key: string, notOlderThan: number, current: number): void {
    if (notOlderThan > current) {
      throw new StorageError('TooLargeResourceVersion', key, `Too large resource version: ${notOlderThan}, current: ${current}`, String(current));
    }
  }

  /** Words etcd's "compacted" and "future revision" refusals as the storage contract does. */
  private async explainRevisionError(err: unknown, key: string, revision: number, fromContinue: boolean): Promise<unknown> {
    if (!isCompactedError(err) && !isFutureRevisionError(err)) return err;
    const current = await this.latestRevision();
    if (isFutureRevisionError(err)) {
      return new StorageError('TooLargeResourceVersion', key, `Too large resource version: ${revision}, current: ${current}`, String(current));
    }
    if (fromContinue) return continueExpiredError(key, current);
    return new StorageError('Expired', key, `too old resource version: ${revision}`, String(current));
  }
}

function keyState(key: string, response: IRangeResponse): KeyState {
  const [kv]: (IKeyValue | undefined)[] = response.kvs;
  if (!kv) return { obj: null, modRevision: 0, confirmed: true };
  return { obj: decodeObject(key, kv.value, kv.mod_revision), value: kv.value, modRevision: Number(kv.mod_revision), confirmed: true };
}

function notFound(key: string): StorageError {
  return new StorageError('NotFound', key, `key ${key} not found`);
}
