/**
 * A client for any resource, its objects as the plain JSON the server sends
 * (client-go's dynamic client): for kinds this process has no class for, such
 * as whatever a remote server serves. The typed ResourceClient is built on it.
 */
import type { Status } from '../api/status';
import { apiVersionOf, type KubeObject } from '../api/meta';
import type { RESTClient } from './rest-client';

/** A plain JSON object of any kind: apiVersion, kind, metadata and whatever else its kind has. */
export type UnstructuredObject = KubeObject & Record<string, unknown>;

/** Where a resource is served. */
export interface ResourceLocation {
  /** '' for the core group (/api/v1). */
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /** Named in errors; default the plural. */
  kind?: string;
}

export interface ClientListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
}

export interface ClientWatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Changes after this version; unset: the current state as ADDED events first. */
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this long. */
  timeoutSeconds?: number;
  signal?: AbortSignal;
}

export interface ObjectList<T> {
  items: T[];
  resourceVersion: string;
  continue?: string;
  /** How many items the pages after this one hold, when the server says (an estimate). */
  remainingItemCount?: number;
}

export type ClientWatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; status: Status };

export type ClientPatchType = 'merge' | 'json';

/** DeleteOptions a client may send. */
export interface ClientDeleteOptions {
  /** The delete only happens while the object still has this uid and/or resourceVersion (409 otherwise). */
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
}

/** What an Informer needs of a client: every object, then a stream of changes. */
export interface ListerWatcher<T> {
  listAll(opts?: Omit<ClientListOptions, 'limit' | 'continue'>): Promise<ObjectList<T>>;
  watch(opts?: ClientWatchOptions): AsyncGenerator<ClientWatchEvent<T>>;
}

/** The Content-Type each patch type is sent with. */
export const PATCH_CONTENT_TYPES: Record<ClientPatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
};

/** Page size when listing everything. */
const LIST_PAGE_SIZE = 500;

interface WireList {
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  items?: UnstructuredObject[];
}

interface WireWatchEvent {
  type: string;
  object: UnstructuredObject;
}

export class DynamicResourceClient implements ListerWatcher<UnstructuredObject> {
  /**
   * `namespace` binds the client to one namespace; without it, lists and watches
   * span all namespaces and writes use the namespace in the object's metadata.
   */
  constructor(
    private readonly rest: RESTClient,
    readonly location: ResourceLocation,
    readonly namespace?: string,
  ) {}

  /** The same client bound to a namespace. */
  inNamespace(namespace: string): DynamicResourceClient {
    return new DynamicResourceClient(this.rest, this.location, namespace);
  }

  get(name: string): Promise<UnstructuredObject> {
    return this.rest.request(this.itemPath(this.namespace, name));
  }

  /** One page (or everything when no limit is given, as the server sends it). */
  async list(opts: ClientListOptions = {}): Promise<ObjectList<UnstructuredObject>> {
    const list = await this.rest.request<WireList>(this.collectionPath(this.namespace), { query: { ...opts } });
    return {
      items: list.items ?? [],
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continue: list.metadata?.continue || undefined,
      remainingItemCount: list.metadata?.remainingItemCount,
    };
  }

  /** Every object, page by page, all pages at the first page's resourceVersion. */
  async listAll(opts: Omit<ClientListOptions, 'limit' | 'continue'> = {}): Promise<ObjectList<UnstructuredObject>> {
    const items: UnstructuredObject[] = [];
    let page = await this.list({ ...opts, limit: LIST_PAGE_SIZE });
    const resourceVersion = page.resourceVersion;
    items.push(...page.items);
    while (page.continue) {
      page = await this.list({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: LIST_PAGE_SIZE, continue: page.continue });
      items.push(...page.items);
    }
    return { items, resourceVersion };
  }

  /** A watch as an async stream of events; it ends when the server ends it or the signal aborts. */
  async *watch(opts: ClientWatchOptions = {}): AsyncGenerator<ClientWatchEvent<UnstructuredObject>> {
    const { signal, ...query } = opts;
    for await (const raw of this.rest.stream(this.collectionPath(this.namespace), { query: { ...query, watch: true }, signal })) {
      const event = raw as WireWatchEvent;
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED':
        case 'DELETED':
          yield { type: event.type, object: event.object };
          break;
        case 'BOOKMARK':
          yield { type: 'BOOKMARK', resourceVersion: String(event.object.metadata?.resourceVersion ?? '') };
          break;
        case 'ERROR':
          yield { type: 'ERROR', status: event.object as unknown as Status };
          break;
        default:
          throw new Error(`unknown watch event type ${JSON.stringify(event.type)}`);
      }
    }
  }

  create(obj: Record<string, unknown>): Promise<UnstructuredObject> {
    return this.rest.request(this.collectionPath(this.namespaceOf(obj)), { method: 'POST', body: obj });
  }

  /** PUT of the whole object; carries its resourceVersion, so a stale copy is a Conflict. */
  update(obj: Record<string, unknown>): Promise<UnstructuredObject> {
    return this.rest.request(this.itemPath(this.namespaceOf(obj), nameOf(obj)), { method: 'PUT', body: obj });
  }

  /** PUT of the status subresource. */
  updateStatus(obj: Record<string, unknown>): Promise<UnstructuredObject> {
    return this.rest.request(`${this.itemPath(this.namespaceOf(obj), nameOf(obj))}/status`, { method: 'PUT', body: obj });
  }

  /** A JSON merge patch or JSON patch of the object or (subresource 'status') of its status. */
  patch(name: string, patch: unknown, opts: { type?: ClientPatchType; subresource?: 'status' } = {}): Promise<UnstructuredObject> {
    const path = this.itemPath(this.namespace, name) + (opts.subresource ? `/${opts.subresource}` : '');
    return this.rest.request(path, { method: 'PATCH', body: patch, contentType: PATCH_CONTENT_TYPES[opts.type ?? 'merge'] });
  }

  async delete(name: string, opts: ClientDeleteOptions = {}): Promise<void> {
    const body = opts.preconditions || opts.propagationPolicy ? { apiVersion: 'v1', kind: 'DeleteOptions', ...opts } : undefined;
    await this.rest.request(this.itemPath(this.namespace, name), { method: 'DELETE', body });
  }

  private namespaceOf(obj: Record<string, unknown>): string | undefined {
    return this.namespace ?? (obj.metadata as { namespace?: string } | undefined)?.namespace;
  }

  private collectionPath(namespace: string | undefined): string {
    const { group, version, plural, namespaced } = this.location;
    const prefix = group ? `/apis/${apiVersionOf({ group, version })}` : `/api/${version}`;
    return namespaced && namespace ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${prefix}/${plural}`;
  }

  private itemPath(namespace: string | undefined, name: string | undefined): string {
    const kind = this.location.kind ?? this.location.plural;
    if (!name) throw new Error(`a ${kind} needs a name`);
    if (this.location.namespaced && !namespace) throw new Error(`${kind} ${name}: a namespaced object needs a namespace`);
    return `${this.collectionPath(namespace)}/${encodeURIComponent(name)}`;
  }
}

function nameOf(obj: Record<string, unknown>): string | undefined {
  return (obj.metadata as { name?: string } | undefined)?.name;
}
