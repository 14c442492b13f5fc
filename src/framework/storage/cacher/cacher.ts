import { StorageError } from '../errors';
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
import type { CacheEvent } from './cache-event';
import { CacheWatcher } from './cache-watcher';
import { CoalescedRead } from './coalesced-read';
import type { StoreEntry } from './object-store';
import { Reflector } from './reflector';
import { parseRevision } from './revision';
import { WatchCache } from './watch-cache';
import { WatcherRegistry } from './watcher-registry';

export interface CacherOptions {
  /** The resource prefix this cache holds, ending in "/", e.g. `/nginx.example.com/upstreams/`. */
  prefix: string;
  /** Recent changes kept for watches that resume from a past revision. Default 1024. */
  ringSize?: number;
  /** Events a watcher may have waiting before it is closed as too slow. Default 1024. */
  watcherBufferSize?: number;
  /**
   * How long a read waits for the cache to reach the revision it needs before the
   * storage answers it instead. Short, because the cache only learns that nothing
   * changed below its prefix from the storage's progress bookmarks, which may be
   * seconds apart. Default 250 ms.
   */
  freshnessTimeoutMs?: number;
  /** Period of the BOOKMARK events sent to watchers that asked for progress. Default 5000 ms. */
  bookmarkIntervalMs?: number;
  /** The key an object is stored under. Default: prefix + `<namespace>/` (when namespaced) + name. */
  keyOf?: (obj: StoredObject) => string;
}

/** Annotation on the BOOKMARK that ends the initial events of a sendInitialEvents watch. */
export const INITIAL_EVENTS_END_ANNOTATION = 'k8s.io/initial-events-end';

/**
 * The watch cache: a StorageInterface over another one that serves reads and
 * watches of one resource prefix from memory. One list+watch of the prefix keeps
 * the current objects (frozen, shared, each held once) and a bounded ring of
 * recent changes.
 *
 * - Writes, currentRevision, compact, healthCheck and every key outside the
 *   prefix go to the storage; guaranteedUpdate passes the cached object as its
 *   `suggestion`.
 * - get/list with resourceVersion "0" are served from memory at once; with a
 *   revision N once the cache has reached N. count answers from memory too.
 * - Quorum reads ("") are served from memory once the cache has reached the
 *   storage's current revision (kube's consistent read from cache); the reads of
 *   one event-loop turn share one read of that revision.
 * - When the cache does not get there within `freshnessTimeoutMs` (e.g. the last
 *   write was to another prefix and no progress bookmark came yet), or N is beyond
 *   the storage's current revision, the storage answers: it is never wrong, and it
 *   reports TooLargeResourceVersion for a revision from the future.
 * - list with a continue token, resourceVersionMatch Exact, or a limit with any
 *   resourceVersion but "0" goes to the storage, which owns continue tokens.
 *   With "0" the limit is ignored and every matching item is returned, as the
 *   kube-apiserver watch cache does; clients must accept a list without continue.
 * - watch from revision N is served from the ring while it holds every change
 *   after N (and N is not before a compaction made through this cacher);
 *   otherwise the storage serves it (or answers 410). Watchers that fall
 *   `watcherBufferSize` events behind are closed; so are all watchers when the
 *   cache has to relist (after its own watch hit 410), and clients re-watch from
 *   their last revision.
 *
 * Until the first list is in (`ready`), and while relisting, everything goes to
 * the storage. Objects returned from memory are frozen: copy before changing
 * them. Pair them with encodeOnce to encode each object or event once.
 */
export class Cacher implements StorageInterface {
  /** Resolves once the cache holds its first list; rejects if closed before. */
  readonly ready: Promise<void>;
  private readonly prefix: string;
  private readonly watcherBufferSize: number;
  private readonly freshnessTimeoutMs: number;
  private readonly bookmarkIntervalMs: number;
  private readonly cache: WatchCache;
  private readonly watchers = new WatcherRegistry();
  private readonly reflector: Reflector;
  private markReady!: () => void;
  private failReady!: (err: Error) => void;
  private synced = false;
  private started = false;
  private closed = false;
  private compactedRevision = 0;
  private bookmarkTimer: NodeJS.Timeout | null = null;
  /** The storage's current revision for consistent reads: one storage read for all reads of an event-loop turn. */
  private readonly currentStorageRevision: CoalescedRead<string>;

  constructor(
    private readonly storage: StorageInterface,
    options: CacherOptions,
  ) {
    if (!options.prefix.endsWith('/')) throw new Error(`cacher prefix must end in "/", got "${options.prefix}"`);
    this.prefix = options.prefix;
    this.currentStorageRevision = new CoalescedRead(() => storage.currentRevision());
    this.watcherBufferSize = options.watcherBufferSize ?? 1024;
    this.freshnessTimeoutMs = options.freshnessTimeoutMs ?? 250;
    this.bookmarkIntervalMs = options.bookmarkIntervalMs ?? 5000;
    const keyOf = options.keyOf ?? ((obj: StoredObject) => defaultKeyOf(this.prefix, obj));
    this.cache = new WatchCache(options.ringSize ?? 1024, keyOf, (change) => this.watchers.dispatch(change));
    this.reflector = new Reflector(storage, this.prefix, this.cache, {
      onSynced: () => {
        this.synced = true;
        this.markReady();
      },
      onDesynced: () => {
        this.synced = false;
        this.watchers.stopAll();
      },
    });
    this.ready = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.failReady = reject;
    });
    this.ready.catch(() => undefined);
  }

  /** Starts the list+watch; idempotent. Resolves like `ready`. */
  start(): Promise<void> {
    if (!this.started && !this.closed) {
      this.started = true;
      void this.reflector.run();
      this.bookmarkTimer = setInterval(() => this.watchers.bookmark(this.cache.resourceVersion), this.bookmarkIntervalMs);
      this.bookmarkTimer.unref();
    }
    return this.ready;
  }

  create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.storage.create(key, obj);
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject | null> {
    if (!(this.holds(key) && (await this.reachRevisionFor(key, opts.resourceVersion)))) return this.storage.get(key, opts);
    const object = this.cache.store.get(key);
    if (object !== undefined) return object;
    if (opts.ignoreNotFound === true) return null;
    throw new StorageError('NotFound', key, `key not found: ${key}`);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const rv = opts.resourceVersion ?? '';
    const fromStorage =
      !this.holds(prefix) ||
      (opts.continue !== undefined && opts.continue !== '') ||
      opts.resourceVersionMatch === 'Exact' ||
      ((opts.limit ?? 0) > 0 && rv !== '0');
    if (fromStorage || !(await this.reachRevisionFor(prefix, rv))) return this.storage.list(prefix, opts);
    return {
      items: this.cache.store.list(prefix, opts.predicate),
      resourceVersion: String(this.cache.resourceVersion),
    };
  }

  guaranteedUpdate(key: string, opts: UpdateOptions): Promise<StoredObject> {
    const cached = opts.suggestion === undefined && this.holds(key) ? this.cache.store.get(key) : undefined;
    return this.storage.guaranteedUpdate(key, cached === undefined ? opts : { ...opts, suggestion: cached });
  }

  delete(key: string, opts?: DeleteOptions): Promise<StoredObject> {
    return this.storage.delete(key, opts);
  }

  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    if (!this.holds(key)) return this.storage.watch(key, opts);
    const rv = opts.resourceVersion ?? '';
    const startsWithState = rv === '' || rv === '0' || opts.sendInitialEvents === true;
    if (startsWithState) {
      if (!(await this.reachRevisionFor(key, rv, opts.sendInitialEvents === true))) return this.storage.watch(key, opts);
      return this.startWatcher(key, opts, this.initialState(key, opts), 0);
    }
    const from = parseRevision(rv);
    if (from === undefined || from < this.compactedRevision) return this.storage.watch(key, opts);
    const replay = this.cache.ring.since(from);
    if (replay === null) return this.storage.watch(key, opts);
    return this.startWatcher(key, opts, replayed(replay, key, opts), from);
  }

  async count(prefix: string): Promise<number> {
    return this.holds(prefix) ? this.cache.store.count(prefix) : this.storage.count(prefix);
  }

  currentRevision(): Promise<string> {
    return this.storage.currentRevision();
  }

  async compact(revision: string): Promise<void> {
    await this.storage.compact(revision);
    // A watch from before the compaction goes to the storage, which answers 410 as it should.
    this.compactedRevision = Math.max(this.compactedRevision, parseRevision(revision) ?? 0);
  }

  healthCheck(): Promise<void> {
    return this.storage.healthCheck();
  }

  /** Stops the list+watch and ends every watcher served from memory. The wrapped storage stays open: it may serve others. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.synced = false;
    this.reflector.stop();
    if (this.bookmarkTimer !== null) clearInterval(this.bookmarkTimer);
    this.cache.cancelWaits();
    this.watchers.stopAll();
    this.failReady(new Error(`cacher for ${this.prefix} closed`));
  }

  /** Whether memory may answer for this key or prefix right now. */
  private holds(key: string): boolean {
    return this.synced && key.startsWith(this.prefix);
  }

  /**
   * Waits until memory may answer a read at `resourceVersion` ("" = the storage's
   * current revision; with `atLeastCurrent`, the later of N and the current one)
   * and says whether it may. False means the storage answers instead: the cache
   * did not catch up within `freshnessTimeoutMs`, the revision is beyond the
   * storage's own (which then reports TooLargeResourceVersion), the revision is
   * malformed (the storage rejects it), or the cache is relisting.
   */
  private async reachRevisionFor(key: string, resourceVersion = '', atLeastCurrent = false): Promise<boolean> {
    if (resourceVersion === '0') return this.holds(key);
    const consistent = resourceVersion === '' || atLeastCurrent;
    const wanted = resourceVersion === '' ? 0 : parseRevision(resourceVersion);
    if (wanted === undefined) return false;
    if (!consistent && wanted <= this.cache.resourceVersion) return this.holds(key);
    const current = parseRevision(await this.currentStorageRevision.get());
    if (current === undefined || wanted > current) return false;
    // A consistent read is served from memory only when the cache is already
    // current: it learns that a quiet prefix is current only from progress
    // bookmarks, and the storage answers sooner than they come. A read not older
    // than a given revision waits a little for the cache to get there.
    if (consistent) return current <= this.cache.resourceVersion && this.holds(key);
    return (await this.cache.waitUntilFresh(wanted, this.freshnessTimeoutMs)) && this.holds(key);
  }

  /** The current state under the key as ADDED events (then the end-of-initial-events bookmark when asked). */
  private initialState(key: string, opts: WatchOptions): Iterator<WatchEvent> {
    const store = this.cache.store;
    const single = store.entry(key);
    const entries: StoreEntry[] = opts.recursive === true ? store.entriesBelow(key) : single === undefined ? [] : [single];
    const end = opts.sendInitialEvents === true ? initialEventsEnd(this.cache.resourceVersion) : undefined;
    return addedEvents(entries, opts.predicate, end);
  }

  private startWatcher(key: string, opts: WatchOptions, initialEvents: Iterator<WatchEvent>, coveredRevision: number): Watcher {
    const watcher = new CacheWatcher({
      key,
      recursive: opts.recursive === true,
      predicate: opts.predicate,
      progressNotify: opts.progressNotify === true,
      bufferSize: this.watcherBufferSize,
      initialEvents,
      coveredRevision,
      onStop: (stopped) => this.watchers.remove(stopped),
    });
    this.watchers.add(watcher);
    return watcher;
  }
}

/** kube's default key layout: `<prefix><namespace>/<name>`, or `<prefix><name>` for cluster-scoped objects. */
function defaultKeyOf(prefix: string, obj: StoredObject): string {
  const { namespace, name } = obj.metadata;
  return namespace ? `${prefix}${namespace}/${name}` : `${prefix}${name}`;
}

function initialEventsEnd(revision: number): WatchEvent {
  return {
    type: 'BOOKMARK',
    object: { metadata: { resourceVersion: String(revision), annotations: { [INITIAL_EVENTS_END_ANNOTATION]: 'true' } } },
  };
}

function* addedEvents(entries: StoreEntry[], predicate: SelectionPredicate | undefined, end: WatchEvent | undefined): Iterator<WatchEvent> {
  for (const entry of entries) {
    if (predicate === undefined || predicate(entry.object)) yield entry.addedEvent;
  }
  if (end !== undefined) yield end;
}

function* replayed(changes: CacheEvent[], key: string, opts: WatchOptions): Iterator<WatchEvent> {
  const recursive = opts.recursive === true;
  for (const change of changes) {
    if (recursive ? !change.key.startsWith(key) : change.key !== key) continue;
    const event = change.visibleThrough(opts.predicate);
    if (event !== null) yield event;
  }
}
