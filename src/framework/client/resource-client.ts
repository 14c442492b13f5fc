/**
 * A typed client for one resource version, the generic replacement of generated
 * clientsets: the Scheme says where the resource lives (group, version, plural,
 * scope) and turns the wire JSON into instances of the registered class.
 */
import type { Status } from '../api/status';
import { apiVersionOf, type KubeObject } from '../api/meta';
import type { Class, ResourceInfo, Scheme } from '../runtime';
import type { RESTClient } from './rest-client';

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
}

export type ClientWatchEvent<T> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: T }
  | { type: 'BOOKMARK'; resourceVersion: string }
  | { type: 'ERROR'; status: Status };

export type ClientPatchType = 'merge' | 'json';

const PATCH_CONTENT_TYPES: Record<ClientPatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
};

/** Page size when listing everything. */
const LIST_PAGE_SIZE = 500;

interface WireList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: Record<string, unknown>[];
}

interface WireWatchEvent {
  type: string;
  object: Record<string, unknown>;
}

export class ResourceClient<T extends KubeObject> {
  readonly info: ResourceInfo;

  /**
   * `type` is a served versioned class registered in `scheme`. `namespace` binds the
   * client to one namespace; without it, lists and watches span all namespaces and
   * writes use the namespace in the object's metadata.
   */
  constructor(
    private readonly rest: RESTClient,
    private readonly scheme: Scheme,
    private readonly type: Class<T>,
    readonly namespace?: string,
  ) {
    const info = scheme.resources().find((r) => r.type === type);
    if (!info) throw new Error(`${type.name} is not a served resource in this scheme`);
    this.info = info;
  }

  /** The same client bound to a namespace. */
  inNamespace(namespace: string): ResourceClient<T> {
    return new ResourceClient(this.rest, this.scheme, this.type, namespace);
  }

  async get(name: string): Promise<T> {
    return this.decode(await this.rest.request(this.itemPath(this.namespace, name)));
  }

  /** One page (or everything when no limit is given, as the server sends it). */
  async list(opts: ClientListOptions = {}): Promise<ObjectList<T>> {
    const list = await this.rest.request<WireList>(this.collectionPath(this.namespace), { query: { ...opts } });
    return {
      items: (list.items ?? []).map((item) => this.decode(item)),
      resourceVersion: list.metadata?.resourceVersion ?? '',
      continue: list.metadata?.continue || undefined,
    };
  }

  /** Every object, page by page, all pages at the first page's resourceVersion. */
  async listAll(opts: Omit<ClientListOptions, 'limit' | 'continue'> = {}): Promise<ObjectList<T>> {
    const items: T[] = [];
    let page = await this.list({ ...opts, limit: LIST_PAGE_SIZE });
    const resourceVersion = page.resourceVersion;
    items.push(...page.items);
    while (page.continue) {
      page = await this.list({ labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit: LIST_PAGE_SIZE, continue: page.continue });
      items.push(...page.items);
    }
    return { items, resourceVersion };
  }

  /** A watch as an async stream of typed events; it ends when the server ends it or the signal aborts. */
  async *watch(opts: ClientWatchOptions = {}): AsyncGenerator<ClientWatchEvent<T>> {
    const { signal, ...query } = opts;
    for await (const raw of this.rest.stream(this.collectionPath(this.namespace), { query: { ...query, watch: true }, signal })) {
      const event = raw as WireWatchEvent;
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED':
        case 'DELETED':
          yield { type: event.type, object: this.decode(event.object) };
          break;
        case 'BOOKMARK':
          yield { type: 'BOOKMARK', resourceVersion: String((event.object.metadata as { resourceVersion?: string } | undefined)?.resourceVersion ?? '') };
          break;
        case 'ERROR':
          yield { type: 'ERROR', status: event.object as unknown as Status };
          break;
        default:
          throw new Error(`unknown watch event type ${JSON.stringify(event.type)}`);
      }
    }
  }

  async create(obj: T): Promise<T> {
    return this.decode(await this.rest.request(this.collectionPath(this.namespaceOf(obj)), { method: 'POST', body: this.encode(obj) }));
  }

  /** PUT of the whole object; carries its resourceVersion, so a stale copy is a Conflict. */
  async update(obj: T): Promise<T> {
    return this.decode(await this.rest.request(this.itemPath(this.namespaceOf(obj), obj.metadata.name), { method: 'PUT', body: this.encode(obj) }));
  }

  /** PUT of the status subresource. */
  async updateStatus(obj: T): Promise<T> {
    const path = `${this.itemPath(this.namespaceOf(obj), obj.metadata.name)}/status`;
    return this.decode(await this.rest.request(path, { method: 'PUT', body: this.encode(obj) }));
  }

  /** A JSON merge patch or JSON patch of the object or (subresource 'status') of its status. */
  async patch(name: string, patch: unknown, opts: { type?: ClientPatchType; subresource?: 'status' } = {}): Promise<T> {
    const path = this.itemPath(this.namespace, name) + (opts.subresource ? `/${opts.subresource}` : '');
    const contentType = PATCH_CONTENT_TYPES[opts.type ?? 'merge'];
    return this.decode(await this.rest.request(path, { method: 'PATCH', body: patch, contentType }));
  }

  async delete(name: string): Promise<void> {
    await this.rest.request(this.itemPath(this.namespace, name), { method: 'DELETE' });
  }

  private decode(plain: unknown): T {
    return this.scheme.fromPlain(plain as Record<string, unknown>, this.info.gvk) as T;
  }

  private encode(obj: T): Record<string, unknown> {
    return this.scheme.toPlain(obj);
  }

  private namespaceOf(obj: T): string | undefined {
    return this.namespace ?? obj.metadata?.namespace;
  }

  private collectionPath(namespace: string | undefined): string {
    const { gvk, plural, namespaced } = this.info;
    const prefix = gvk.group ? `/apis/${apiVersionOf(gvk)}` : `/api/${gvk.version}`;
    return namespaced && namespace ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${plural}` : `${prefix}/${plural}`;
  }

  private itemPath(namespace: string | undefined, name: string | undefined): string {
    if (!name) throw new Error(`a ${this.info.gvk.kind} needs a name`);
    if (this.info.namespaced && !namespace) throw new Error(`${this.info.gvk.kind} ${name}: a namespaced object needs a namespace`);
    return `${this.collectionPath(namespace)}/${encodeURIComponent(name)}`;
  }
}
