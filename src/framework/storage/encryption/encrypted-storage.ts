/**
 * Encryption at rest as a layer over a backend: objects are sealed before they
 * reach etcd or SQLite and opened on the way back, so the backend holds only
 * `{metadata: {name, namespace, uid}, encryptedData: "k8s:enc:<provider>:v1:<key>:<base64>"}`
 * (the names it keys and checks preconditions by; the object itself is inside).
 * Everything above — the watch cache, the registry — sees plain objects.
 *
 * A value written with a provider or key other than the first is stale: any
 * update rewrites it with the first, even when nothing else changes, which is
 * how `kubectl get … -o json | kubectl replace -f -` rotates keys.
 */
import type { GroupResource } from '../../api/status';
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
import type { ResourceEncryption } from './configuration';
import { identity } from './providers';

/** The field of a stored envelope that holds the sealed object. */
export const ENCRYPTED_DATA_FIELD = 'encryptedData';

interface Opened {
  obj: StoredObject;
  /** Written by another provider or key than the one that writes now. */
  stale: boolean;
}

function withoutResourceVersion(obj: StoredObject): StoredObject {
  const { resourceVersion: _rv, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

export class EncryptedStorage implements StorageInterface {
  constructor(
    private readonly backend: StorageInterface,
    private readonly encryption: ResourceEncryption,
    private readonly resource: GroupResource,
  ) {}

  /** Binds a sealed value to the object it belongs to (aesgcm authenticates it). */
  private authenticatedData(obj: StoredObject): string {
    return `${this.resource.group}/${this.resource.resource}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
  }

  private seal(obj: StoredObject): StoredObject {
    const { write } = this.encryption;
    if (write === identity) return obj;
    const { name, namespace, uid, resourceVersion } = obj.metadata;
    const sealed = write.seal(Buffer.from(JSON.stringify(withoutResourceVersion(obj))), this.authenticatedData(obj));
    return { metadata: { name, namespace, uid, resourceVersion }, [ENCRYPTED_DATA_FIELD]: write.prefix + sealed.toString('base64') };
  }

  private open(stored: StoredObject): Opened {
    const value = stored[ENCRYPTED_DATA_FIELD];
    const { read, write } = this.encryption;
    if (typeof value !== 'string') {
      if (!read.includes(identity)) throw new Error(`${this.describe(stored)} is stored unencrypted and no identity provider is configured to read it`);
      return { obj: stored, stale: write !== identity };
    }
    const transformer = read.find((t) => t !== identity && value.startsWith(t.prefix));
    if (!transformer) throw new Error(`${this.describe(stored)} was encrypted with ${value.split(':').slice(0, 5).join(':')}, which no configured provider has`);
    let obj: StoredObject;
    try {
      obj = JSON.parse(transformer.open(Buffer.from(value.slice(transformer.prefix.length), 'base64'), this.authenticatedData(stored)).toString('utf8')) as StoredObject;
    } catch (err) {
      throw new Error(`${this.describe(stored)} cannot be decrypted with ${transformer.prefix.slice(0, -1)}: ${(err as Error).message}`);
    }
    obj.metadata.resourceVersion = stored.metadata.resourceVersion;
    return { obj, stale: transformer !== write };
  }

  private describe(stored: StoredObject): string {
    return `the stored ${this.resource.resource} ${JSON.stringify(stored.metadata.name)}`;
  }

  private openPredicate(predicate: SelectionPredicate | undefined): SelectionPredicate | undefined {
    return predicate && ((stored) => predicate(this.open(stored).obj));
  }

  async create(key: string, obj: StoredObject): Promise<StoredObject> {
    return this.open(await this.backend.create(key, this.seal(obj))).obj;
  }

  async get(key: string, opts?: GetOptions): Promise<StoredObject | null> {
    const stored = await this.backend.get(key, opts);
    return stored && this.open(stored).obj;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const result = await this.backend.list(prefix, { ...opts, predicate: this.openPredicate(opts.predicate) });
    return { ...result, items: result.items.map((item) => this.open(item).obj) };
  }

  async guaranteedUpdate(key: string, opts: UpdateOptions): Promise<StoredObject> {
    const stored = await this.backend.guaranteedUpdate(key, {
      preconditions: opts.preconditions,
      ignoreNotFound: opts.ignoreNotFound,
      // No suggestion: it is a plain object, and the backend would compare it with sealed ones.
      tryUpdate: async (current) => {
        if (current === null) return this.seal(await opts.tryUpdate(null));
        const { obj, stale } = this.open(current);
        const next = await opts.tryUpdate(obj);
        const unchanged = next === obj || JSON.stringify(withoutResourceVersion(next)) === JSON.stringify(withoutResourceVersion(obj));
        return unchanged && !stale ? current : this.seal(next);
      },
    });
    return this.open(stored).obj;
  }

  async delete(key: string, opts: DeleteOptions = {}): Promise<StoredObject> {
    const validate = opts.validateDeletion;
    const last = await this.backend.delete(key, { preconditions: opts.preconditions, validateDeletion: validate && ((current) => validate(this.open(current).obj)) });
    return this.open(last).obj;
  }

  async watch(key: string, opts: WatchOptions = {}): Promise<Watcher> {
    const inner = await this.backend.watch(key, { ...opts, predicate: this.openPredicate(opts.predicate) });
    const open = (event: WatchEvent): WatchEvent => (event.type === 'BOOKMARK' || event.type === 'ERROR' ? event : { type: event.type, object: this.open(event.object).obj });
    return {
      stop: () => inner.stop(),
      async *[Symbol.asyncIterator]() {
        for await (const event of inner) yield open(event);
      },
    };
  }

  count(prefix: string): Promise<number> {
    return this.backend.count(prefix);
  }

  currentRevision(): Promise<string> {
    return this.backend.currentRevision();
  }

  compact(revision: string): Promise<void> {
    return this.backend.compact(revision);
  }

  healthCheck(): Promise<void> {
    return this.backend.healthCheck();
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}
