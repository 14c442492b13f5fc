/**
 * An informer: a local cache of one resource kept current by list + watch, with
 * handlers for what changes (client-go's SharedInformer, client-node's ListWatch).
 *
 * It lists, watches from the list's resourceVersion, applies each event to the
 * cache, and re-watches from the last version seen when a watch ends. When the
 * server says that version is gone (410) it lists again at once, and any other
 * failure lists again after a growing pause; a relist reports the differences
 * to the cache (including deletions it missed) as ordinary events.
 */
import type { KubeObject } from '../api/meta';
import { isStatusError } from '../api/status';
import type { ClientWatchEvent, ListerWatcher } from './dynamic-client';

export type InformerEventType = 'add' | 'update' | 'delete';

/** `old` is the cached object an update replaced. */
export type InformerHandler<T> = (obj: T, old?: T) => void;

export interface InformerOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** First pause after a failure; it doubles up to maxBackoffMs. Default 250 ms. */
  initialBackoffMs?: number;
  /** Default 10 s. */
  maxBackoffMs?: number;
  /** How long one watch request may last before it is renewed. Default 5 minutes. */
  watchTimeoutSeconds?: number;
  /** Told about failures the informer recovers from. */
  onError?: (err: unknown) => void;
}

/** The watch ended because its resourceVersion is too old: list again. */
class WatchExpired extends Error {}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export class Informer<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private readonly handlers: Record<InformerEventType, InformerHandler<T>[]> = { add: [], update: [], delete: [] };
  private synced = false;
  private readonly syncWaiters: (() => void)[] = [];

  constructor(
    private readonly client: ListerWatcher<T>,
    private readonly options: InformerOptions = {},
  ) {}

  /** Registers a handler; handlers run synchronously, in registration order, after the cache has changed. */
  on(type: InformerEventType, handler: InformerHandler<T>): this {
    this.handlers[type].push(handler);
    return this;
  }

  /** True once the first list has filled the cache. */
  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list has filled the cache. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  /** The cached object, if any (`namespace` '' for cluster-scoped objects). */
  get(namespace: string, name: string): T | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  /** Cached objects, of one namespace when given. */
  list(namespace?: string): T[] {
    const all = [...this.cache.values()];
    return namespace === undefined ? all : all.filter((o) => (o.metadata?.namespace ?? '') === namespace);
  }

  /** Lists and watches until the signal aborts; never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    const initial = this.options.initialBackoffMs ?? 250;
    const max = this.options.maxBackoffMs ?? 10_000;
    let backoff = initial;
    while (!signal.aborted) {
      try {
        let resourceVersion = await this.relist();
        backoff = initial;
        for (;;) resourceVersion = await this.watchOnce(resourceVersion, signal);
      } catch (err) {
        if (signal.aborted) break;
        if (err instanceof WatchExpired) continue;
        this.options.onError?.(err);
        await sleep(backoff, signal);
        backoff = Math.min(backoff * 2, max);
      }
    }
  }

  /** Replaces the cache with a fresh list and reports the differences; returns the list's resourceVersion. */
  private async relist(): Promise<string> {
    const list = await this.client.listAll({ labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector });
    const fresh = new Map(list.items.map((item) => [keyOf(item), item]));
    for (const [key, old] of [...this.cache]) {
      if (!fresh.has(key)) {
        this.cache.delete(key);
        this.emit('delete', old);
      }
    }
    for (const [key, obj] of fresh) this.upsert(key, obj);
    if (!this.synced) {
      this.synced = true;
      for (const resolve of this.syncWaiters.splice(0)) resolve();
    }
    return list.resourceVersion;
  }

  /** One watch request; returns the last resourceVersion seen when the server ends it. */
  private async watchOnce(resourceVersion: string, signal: AbortSignal): Promise<string> {
    let last = resourceVersion;
    const events = this.client.watch({
      resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: this.options.watchTimeoutSeconds ?? 300,
      labelSelector: this.options.labelSelector,
      fieldSelector: this.options.fieldSelector,
      signal,
    });
    try {
      for await (const event of events) last = this.apply(event) ?? last;
    } catch (err) {
      if (isStatusError(err) && err.code === 410) throw new WatchExpired();
      throw err;
    }
    if (signal.aborted) throw new Error('informer stopped');
    return last;
  }

  /** Applies one event to the cache; returns the resourceVersion it carries. */
  private apply(event: ClientWatchEvent<T>): string | undefined {
    switch (event.type) {
      case 'ADDED':
      case 'MODIFIED':
        this.upsert(keyOf(event.object), event.object);
        return event.object.metadata?.resourceVersion;
      case 'DELETED': {
        const key = keyOf(event.object);
        const old = this.cache.get(key);
        this.cache.delete(key);
        this.emit('delete', old ?? event.object);
        return event.object.metadata?.resourceVersion;
      }
      case 'BOOKMARK':
        return event.resourceVersion || undefined;
      case 'ERROR':
        if (event.status.code === 410) throw new WatchExpired();
        throw new Error(`watch error: ${event.status.message ?? event.status.reason ?? event.status.code}`);
    }
  }

  private upsert(key: string, obj: T): void {
    const old = this.cache.get(key);
    if (old && old.metadata?.resourceVersion === obj.metadata?.resourceVersion) return;
    this.cache.set(key, obj);
    if (old) this.emit('update', obj, old);
    else this.emit('add', obj);
  }

  private emit(type: InformerEventType, obj: T, old?: T): void {
    for (const handler of this.handlers[type]) handler(obj, old);
  }
}
