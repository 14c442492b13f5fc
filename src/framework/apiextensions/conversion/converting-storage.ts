/**
 * One served version's view of a custom resource's storage: objects are
 * written in the CRD's storage version and read in the served version,
 * converted by the CRD's converter on the way (kube-apiserver converts at its
 * storage codec the same way), then pruned and defaulted by the served
 * version's schema. Conversion is asynchronous here, which a webhook needs; the
 * Store above sees only its own version.
 */
import { StatusError, newInternalError } from '../../api/status';
import type {
  DeleteOptions,
  GetOptions,
  ListOptions,
  ListResult,
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

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    const result = await this.storage.list(prefix, opts);
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

  async watch(key: string, opts?: WatchOptions): Promise<Watcher> {
    return new ConvertingWatcher(await this.storage.watch(key, opts), (obj) => this.toServed(obj));
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

/** Events converted to the served version; a failed conversion ends the watch with an ERROR event, as kube-apiserver ends it. */
class ConvertingWatcher implements Watcher {
  constructor(
    private readonly inner: Watcher,
    private readonly toServed: (obj: StoredObject) => Promise<StoredObject>,
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
        yield { type: event.type, object: await this.toServed(event.object) };
      } catch (err) {
        const status = err instanceof StatusError ? err.status : newInternalError((err as Error).message).status;
        yield { type: 'ERROR', object: status as unknown as StoredObject };
        this.inner.stop();
        return;
      }
    }
  }
}
