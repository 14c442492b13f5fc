/**
 * One served version's view of a custom resource's storage: objects are
 * written in the CRD's storage version and read in the served version,
 * converted by the CRD's converter on the way (kube-apiserver converts at its
 * storage codec the same way), then pruned and defaulted by the served
 * version's schema. Conversion is asynchronous here, which a webhook needs; the
 * Store above sees only its own version. Field selectors select objects as the
 * served version shows them.
 */
import { StatusError, newInternalError } from '../../api/status';
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
} from '../../storage/interface';
import { deepFreeze } from '../../storage/cacher/immutable';
import type { CustomResourceConverter } from './converter';

export interface ConvertingStorageOptions {
  converter: CustomResourceConverter;
  /** The served version, e.g. `kubeflow.org/v1`. */
  servedVersion: string;
  /** The version objects are written in. */
  storageVersion: string;
  /** An object of the served version as clients see it: pruned and defaulted by that version's schema. */
  normalize: (obj: StoredObject) => StoredObject;
}

export class ConvertingStorage implements StorageInterface {
  /** What reads make of frozen objects (the watch cache's), shared by every reader of them. */
  private readonly served = new WeakMap<StoredObject, StoredObject>();

  constructor(
    private readonly storage: StorageInterface,
    private readonly options: ConvertingStorageOptions,
  ) {}

  async create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.toServed(await this.storage.create(key, await this.toStorage(obj)));
  }

  async get(key: string, opts?: GetOptions): Promise<StoredObject | null> {
    const obj = await this.storage.get(key, opts);
    return obj && this.toServed(obj);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const { predicate } = opts;
    if (predicate && !this.storedPredicate(predicate)) return this.listSelected(prefix, opts, predicate);
    const result = await this.storage.list(prefix, { ...opts, predicate: predicate && this.storedPredicate(predicate) });
    return { ...result, items: await this.allToServed(result.items) };
  }

  guaranteedUpdate(key: string, opts: UpdateOptions): Promise<StoredObject> {
    return this.storage
      .guaranteedUpdate(key, {
        preconditions: opts.preconditions,
        ignoreNotFound: opts.ignoreNotFound,
        tryUpdate: async (current) => {
          const served = current && (await this.toServed(current));
          const next = await opts.tryUpdate(served);
          // Unchanged stays unchanged: the storage writes nothing.
          return current && next === served ? current : this.toStorage(next);
        },
      })
      .then((obj) => this.toServed(obj));
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<StoredObject> {
    const validateDeletion = opts.validateDeletion;
    const deleted = await this.storage.delete(key, {
      preconditions: opts.preconditions,
      validateDeletion: validateDeletion && (async (current) => validateDeletion(await this.toServed(current))),
    });
    return this.toServed(deleted);
  }

  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    const { predicate } = opts;
    if (predicate && !this.storedPredicate(predicate)) {
      const matching = await this.matchingAt(key, opts, predicate);
      return new ConvertingWatcher(await this.storage.watch(key, { ...opts, predicate: undefined }), (obj) => this.toServed(obj), { predicate, matching });
    }
    return new ConvertingWatcher(await this.storage.watch(key, { ...opts, predicate: predicate && this.storedPredicate(predicate) }), (obj) => this.toServed(obj));
  }

  count(prefix: string): Promise<number> {
    return this.storage.count(prefix);
  }

  currentRevision(): Promise<string> {
    return this.storage.currentRevision();
  }

  compact(revision: string): Promise<void> {
    return this.storage.compact(revision);
  }

  healthCheck(): Promise<void> {
    return this.storage.healthCheck();
  }

  /** The storage below is shared by every version; its owner closes it. */
  async close(): Promise<void> {}

  /**
   * Selectors name fields of the served version. A converter that converts at
   * once lets the storage below select (and page and watch) as usual, on each
   * object as served; undefined for a webhook, whose objects are selected here
   * after conversion.
   */
  private storedPredicate(predicate: SelectionPredicate): SelectionPredicate | undefined {
    const { converter, servedVersion, normalize } = this.options;
    const convertNow = converter.convertNow?.bind(converter);
    return convertNow && ((obj) => predicate(normalize(convertNow(obj, servedVersion))));
  }

  /** Pages of the unselected list, converted and selected, until `limit` items match or the list ends. */
  private async listSelected(prefix: string, opts: ListOptions, predicate: SelectionPredicate): Promise<ListResult> {
    const items: StoredObject[] = [];
    let page = await this.storage.list(prefix, { ...opts, predicate: undefined });
    for (;;) {
      items.push(...(await this.allToServed(page.items)).filter(predicate));
      const wanted = opts.limit ? opts.limit - items.length : undefined;
      if (!page.continue || (wanted !== undefined && wanted <= 0)) return { items, resourceVersion: page.resourceVersion, continue: page.continue };
      // Every page after the first is read at the first page's revision, which the token carries.
      page = await this.storage.list(prefix, { limit: wanted, continue: page.continue });
    }
  }

  /**
   * The objects that match when a selecting watch starts from a revision: its
   * changes are then told apart as entering, changing in and leaving the selection.
   * A watch that sends the current state first starts from nothing.
   */
  private async matchingAt(key: string, opts: WatchOptions, predicate: SelectionPredicate): Promise<Map<string, StoredObject>> {
    const matching = new Map<string, StoredObject>();
    const revision = opts.resourceVersion;
    if (!revision || revision === '0' || opts.sendInitialEvents) return matching;
    try {
      const prefix = opts.recursive ? key : key.slice(0, key.lastIndexOf('/') + 1);
      const listed = await this.storage.list(prefix, { resourceVersion: revision, resourceVersionMatch: 'Exact' });
      for (const obj of (await this.allToServed(listed.items)).filter(predicate)) matching.set(objectID(obj), obj);
    } catch {
      // A revision too old to list: the watch below answers it (410 Expired).
    }
    return matching;
  }

  private async toStorage(obj: StoredObject): Promise<StoredObject> {
    const [converted] = await this.options.converter.convert([obj], this.options.storageVersion);
    return converted;
  }

  private async toServed(obj: StoredObject): Promise<StoredObject> {
    return (await this.allToServed([obj]))[0];
  }

  /** Converts (in one call to the converter) and normalizes; frozen objects are done once and their results frozen too. */
  private async allToServed(objects: StoredObject[]): Promise<StoredObject[]> {
    const todo = objects.filter((obj) => !this.served.has(obj));
    const converted = todo.length > 0 ? await this.options.converter.convert(todo, this.options.servedVersion) : [];
    const fresh = new Map(todo.map((obj, i) => [obj, this.options.normalize(converted[i])]));
    for (const [obj, result] of fresh) if (Object.isFrozen(obj)) this.served.set(obj, deepFreeze(result));
    return objects.map((obj) => fresh.get(obj) ?? (this.served.get(obj) as StoredObject));
  }
}

/** Selection after conversion: the predicate, and the objects that matched last, by namespace/name. */
interface ServedSelection {
  predicate: SelectionPredicate;
  matching: Map<string, StoredObject>;
}

function objectID(obj: StoredObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/**
 * Events converted to the served version, and selected there when a selection
 * is given (objects entering it are ADDED, leaving it DELETED with their last
 * matching state); a failed conversion ends the watch with an ERROR event, as
 * kube-apiserver ends it.
 */
class ConvertingWatcher implements Watcher {
  constructor(
    private readonly inner: Watcher,
    private readonly toServed: (obj: StoredObject) => Promise<StoredObject>,
    private readonly selection?: ServedSelection,
  ) {}

  stop(): void {
    this.inner.stop();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<WatchEvent> {
    for await (const event of this.inner) {
      if (event.type === 'BOOKMARK' || event.type === 'ERROR') {
        yield event;
        continue;
      }
      try {
        const served = { type: event.type, object: await this.toServed(event.object) };
        const selected = this.selection ? select(served, this.selection) : served;
        if (selected) yield selected;
      } catch (err) {
        const status = err instanceof StatusError ? err.status : newInternalError((err as Error).message).status;
        yield { type: 'ERROR', object: status as unknown as StoredObject };
        this.inner.stop();
        return;
      }
    }
  }
}

/** What a watcher of the selection sees of one event, if anything. */
function select(event: WatchEvent, selection: ServedSelection): WatchEvent | undefined {
  const id = objectID(event.object);
  const before = selection.matching.get(id);
  const matches = event.type !== 'DELETED' && selection.predicate(event.object);
  if (matches) {
    selection.matching.set(id, event.object);
    return { type: before ? event.type : 'ADDED', object: event.object };
  }
  selection.matching.delete(id);
  if (!before) return undefined;
  if (event.type === 'DELETED') return event;
  const left = { ...before, metadata: { ...before.metadata, resourceVersion: event.object.metadata.resourceVersion } };
  return { type: 'DELETED', object: left };
}
