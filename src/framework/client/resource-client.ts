/**
 * A typed client for one resource version, the generic replacement of generated
 * clientsets: the Scheme says where the resource lives (group, version, plural,
 * scope) and turns the wire JSON into instances of the registered class. The
 * requests themselves are the dynamic client's.
 */
import type { KubeObject } from '../api/meta';
import type { Class, ResourceInfo, Scheme } from '../runtime';
import {
  DynamicResourceClient,
  type ClientDeleteOptions,
  type ClientListOptions,
  type ClientPatchType,
  type ClientWatchEvent,
  type ClientWatchOptions,
  type ListerWatcher,
  type ObjectList,
} from './dynamic-client';
import type { RESTClient } from './rest-client';

export class ResourceClient<T extends KubeObject> implements ListerWatcher<T> {
  readonly info: ResourceInfo;
  private readonly dynamic: DynamicResourceClient;

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
    const location = { group: info.gvk.group, version: info.gvk.version, plural: info.plural, namespaced: info.namespaced, kind: info.gvk.kind };
    this.dynamic = new DynamicResourceClient(rest, location, namespace);
  }

  /** The same client bound to a namespace. */
  inNamespace(namespace: string): ResourceClient<T> {
    return new ResourceClient(this.rest, this.scheme, this.type, namespace);
  }

  async get(name: string): Promise<T> {
    return this.decode(await this.dynamic.get(name));
  }

  /** One page (or everything when no limit is given, as the server sends it). */
  async list(opts: ClientListOptions = {}): Promise<ObjectList<T>> {
    const list = await this.dynamic.list(opts);
    return { ...list, items: list.items.map((item) => this.decode(item)) };
  }

  /** Every object, page by page, all pages at the first page's resourceVersion. */
  async listAll(opts: Omit<ClientListOptions, 'limit' | 'continue'> = {}): Promise<ObjectList<T>> {
    const list = await this.dynamic.listAll(opts);
    return { ...list, items: list.items.map((item) => this.decode(item)) };
  }

  /** A watch as an async stream of typed events; it ends when the server ends it or the signal aborts. */
  async *watch(opts: ClientWatchOptions = {}): AsyncGenerator<ClientWatchEvent<T>> {
    for await (const event of this.dynamic.watch(opts)) {
      switch (event.type) {
        case 'ADDED':
        case 'MODIFIED':
        case 'DELETED':
          yield { type: event.type, object: this.decode(event.object) };
          break;
        default:
          yield event;
      }
    }
  }

  async create(obj: T): Promise<T> {
    return this.decode(await this.dynamic.create(this.encode(obj)));
  }

  /** PUT of the whole object; carries its resourceVersion, so a stale copy is a Conflict. */
  async update(obj: T): Promise<T> {
    return this.decode(await this.dynamic.update(this.encode(obj)));
  }

  /** PUT of the status subresource. */
  async updateStatus(obj: T): Promise<T> {
    return this.decode(await this.dynamic.updateStatus(this.encode(obj)));
  }

  /** A JSON merge patch or JSON patch of the object or (subresource 'status') of its status. */
  async patch(name: string, patch: unknown, opts: { type?: ClientPatchType; subresource?: 'status' } = {}): Promise<T> {
    return this.decode(await this.dynamic.patch(name, patch, opts));
  }

  async delete(name: string, opts: ClientDeleteOptions = {}): Promise<void> {
    await this.dynamic.delete(name, opts);
  }

  private decode(plain: Record<string, unknown>): T {
    return this.scheme.fromPlain(plain, this.info.gvk) as T;
  }

  private encode(obj: T): Record<string, unknown> {
    return this.scheme.toPlain(obj);
  }
}
