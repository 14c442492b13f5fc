/**
 * A client that always speaks one version of a kind — the caller's class, say
 * apps.example.com/v1 Deployments — to a server that may serve another:
 * KubeCube's version conversion. The server's discovery says which versions it
 * serves; the client picks one the Scheme can convert to and from (the
 * caller's own first, then the other versions of its group, then the other
 * groups the kind is served in, each in the Scheme's order of preference) and
 * converts every request and response through the Scheme. A kind is matched by
 * group, version, resource and kind together: a same-named kind in a group the
 * Scheme does not relate to the caller's is never used. When no convertible
 * version is served it refuses with NoConvertibleVersionError, naming what the
 * server serves instead.
 *
 * Discovery is cached; a request that finds the resource gone (404 without an
 * object name) refreshes it and is tried once more, so a server upgraded in the
 * meantime is followed. A refusal is not remembered: the next request asks the
 * server again. Patches in the caller's version are applied to the object read
 * in the caller's version and written back with its resourceVersion as
 * precondition (retried on conflict, like a server-side patch), so no patch is
 * applied to fields of another version's shape.
 * Fields the server's version cannot hold are lost unless its conversion keeps
 * them (in annotations, as the workloads sample does).
 */
import { isConflict, isNotFound, StatusError } from '../api/status';
import { apiVersionOf, type GroupVersionKind, type KubeObject } from '../api/meta';
import { patchFunction } from '../endpoints/handlers/patch';
import type { Class, ResourceInfo, Scheme } from '../runtime';
import { DiscoveryClient, type ServedResource } from './discovery-client';
import {
  DynamicResourceClient,
  PATCH_CONTENT_TYPES,
  type ClientDeleteOptions,
  type ClientListOptions,
  type ClientPatchType,
  type ClientWatchEvent,
  type ClientWatchOptions,
  type ListerWatcher,
  type ObjectList,
  type UnstructuredObject,
} from './dynamic-client';
import { Informer, type InformerOptions } from './informer';
import type { RESTClient } from './rest-client';

/** How often a converted patch is re-applied to a fresh read when someone else wrote first. */
const PATCH_ATTEMPTS = 5;

export interface VersionAdaptingClientOptions {
  /** Binds the client to a namespace; without it lists and watches span all of them. */
  namespace?: string;
  /** Shared discovery of the server (one per server is enough); default: the client's own. */
  discovery?: DiscoveryClient;
}

/** The server serves no version of the kind that the Scheme can convert to the caller's. */
export class NoConvertibleVersionError extends Error {
  constructor(
    readonly wanted: GroupVersionKind,
    /** apiVersions the Scheme could convert (none of which the server serves with the kind). */
    readonly convertible: string[],
    /** apiVersions the server serves in the groups of `convertible` (without the kind, or unknown to the Scheme). */
    readonly servedInGroups: string[],
    /** apiVersions in which the server serves a kind of the same name, unrelated to the wanted one. */
    readonly sameNameElsewhere: string[],
  ) {
    const served = servedInGroups.length > 0 ? `of those groups it serves ${servedInGroups.join(', ')}` : 'it serves none of those groups';
    const elsewhere = sameNameElsewhere.length > 0 ? `; it serves ${wanted.kind} only as ${sameNameElsewhere.join(', ')}, which is another kind` : '';
    super(`the server serves no version of ${wanted.kind} that converts to ${apiVersionOf(wanted)} (convertible: ${convertible.join(', ')}; ${served})${elsewhere}`);
    this.name = 'NoConvertibleVersionError';
  }
}

/** The served version requests go to. */
interface Target {
  info: ResourceInfo;
  served: ServedResource;
}

/** Finds and remembers the target version. */
class TargetResolver {
  private target?: Promise<Target>;

  constructor(
    private readonly discovery: DiscoveryClient,
    private readonly scheme: Scheme,
    private readonly wanted: ResourceInfo,
  ) {}

  resolve(): Promise<Target> {
    this.target ??= this.find().catch((err: unknown) => {
      this.target = undefined;
      // A refusal rests on discovery; the server may be upgraded before the next request.
      if (err instanceof NoConvertibleVersionError) this.discovery.invalidate();
      throw err;
    });
    return this.target;
  }

  /** Forgets the target and what discovery said; the next request asks again. */
  forget(): void {
    this.target = undefined;
    this.discovery.invalidate();
  }

  private async find(): Promise<Target> {
    const candidates = this.candidates();
    for (const info of candidates) {
      const served = (await this.discovery.resources(info.gvk)).find(
        (r) => r.resource === info.plural && r.kind === info.gvk.kind && r.namespaced === info.namespaced,
      );
      if (served) return { info, served };
    }
    const groups = new Set(candidates.map((c) => c.gvk.group));
    const servedInGroups = (await this.discovery.groups())
      .filter((g) => groups.has(g.name))
      .flatMap((g) => g.versions.map((version) => apiVersionOf({ group: g.name, version })));
    throw new NoConvertibleVersionError(this.wanted.gvk, candidates.map((c) => apiVersionOf(c.gvk)), servedInGroups, await this.sameNameElsewhere());
  }

  /** Every served version of the wanted kind's hub: the wanted one, its group's others, then other groups, by the Scheme's preference. */
  candidates(): ResourceInfo[] {
    const hub = this.wanted.hubGVK;
    const groups = this.scheme.groups();
    const rank = (info: ResourceInfo): number[] => {
      const groupIndex = groups.findIndex((g) => g.group === info.gvk.group);
      return [info === this.wanted ? 0 : 1, info.gvk.group === this.wanted.gvk.group ? 0 : 1, groupIndex, groups[groupIndex].versions.indexOf(info.gvk.version)];
    };
    const compare = (a: number[], b: number[]) => a.reduce((result, value, i) => result || value - b[i], 0);
    return this.scheme
      .resources()
      .filter((r) => r.hubGVK.group === hub.group && r.hubGVK.kind === hub.kind)
      .sort((a, b) => compare(rank(a), rank(b)));
  }

  private async sameNameElsewhere(): Promise<string[]> {
    const found: string[] = [];
    for (const group of await this.discovery.groups()) {
      for (const version of group.versions) {
        for (const r of await this.discovery.resources({ group: group.name, version })) {
          if (r.kind === this.wanted.gvk.kind) found.push(apiVersionOf(r));
        }
      }
    }
    return found;
  }
}

/** A 404 about the resource itself (its group version is not served), not about one object. */
function isResourceGone(err: unknown): boolean {
  return isNotFound(err) && err instanceof StatusError && !err.status.details?.name;
}

export class VersionAdaptingClient<T extends KubeObject> implements ListerWatcher<T> {
  /** The version the caller speaks. */
  readonly info: ResourceInfo;
  readonly namespace?: string;
  private readonly discovery: DiscoveryClient;
  private readonly resolver: TargetResolver;

  /**
   * `type` is the caller's versioned class, registered in `scheme` together with
   * every version the client may convert to. Discovery is created when not given.
   */
  constructor(
    private readonly rest: RESTClient,
    private readonly scheme: Scheme,
    type: Class<T>,
    options: VersionAdaptingClientOptions = {},
  ) {
    const info = scheme.resources().find((r) => r.type === type);
    if (!info) throw new Error(`${type.name} is not a served resource in this scheme`);
    this.info = info;
    this.namespace = options.namespace;
    this.discovery = options.discovery ?? new DiscoveryClient(rest);
    this.resolver = new TargetResolver(this.discovery, scheme, info);
  }

  /** The same client bound to a namespace; it shares this one's discovery of the server. */
  inNamespace(namespace: string): VersionAdaptingClient<T> {
    return new VersionAdaptingClient(this.rest, this.scheme, this.info.type as Class<T>, { namespace, discovery: this.discovery });
  }

  /** The versions the client may speak to a server in (the Scheme's of the caller's kind), preferred first: the caller's own, its group's others, other groups. */
  convertibleVersions(): GroupVersionKind[] {
    return this.resolver.candidates().map((info) => info.gvk);
  }

  /** The version the server is spoken to in; refuses with NoConvertibleVersionError when there is none. */
  async servedVersion(): Promise<GroupVersionKind> {
    return (await this.resolver.resolve()).info.gvk;
  }

  get(name: string): Promise<T> {
    return this.withTarget(async (target, client) => this.decode(target, await client.get(name)));
  }

  /** One page (or everything when no limit is given). */
  list(opts: ClientListOptions = {}): Promise<ObjectList<T>> {
    return this.withTarget(async (target, client) => {
      const list = await client.list(opts);
      return { ...list, items: list.items.map((item) => this.decode(target, item)) };
    });
  }

  /** Every object, page by page, all pages at the first page's resourceVersion. */
  listAll(opts: Omit<ClientListOptions, 'limit' | 'continue'> = {}): Promise<ObjectList<T>> {
    return this.withTarget(async (target, client) => {
      const list = await client.listAll(opts);
      return { ...list, items: list.items.map((item) => this.decode(target, item)) };
    });
  }

  /** Changes as typed events in the caller's version; ends when the server ends the watch or the signal aborts. */
  async *watch(opts: ClientWatchOptions = {}): AsyncGenerator<ClientWatchEvent<T>> {
    for (let attempt = 1; ; attempt++) {
      const target = await this.resolver.resolve();
      let started = false;
      try {
        for await (const event of this.clientFor(target).watch(opts)) {
          started = true;
          if (event.type === 'BOOKMARK' || event.type === 'ERROR') yield event;
          else yield { type: event.type, object: this.decode(target, event.object) };
        }
        return;
      } catch (err) {
        if (started || attempt > 1 || !isResourceGone(err)) throw err;
        this.resolver.forget();
      }
    }
  }

  create(obj: T): Promise<T> {
    return this.withTarget(async (target, client) => this.decode(target, await client.create(this.encode(target, obj))));
  }

  /** PUT of the whole object; its resourceVersion makes a stale copy a Conflict. */
  update(obj: T): Promise<T> {
    return this.withTarget(async (target, client) => this.decode(target, await client.update(this.encode(target, obj))));
  }

  updateStatus(obj: T): Promise<T> {
    return this.withTarget(async (target, client) => this.decode(target, await client.updateStatus(this.encode(target, obj))));
  }

  /**
   * A JSON merge patch or JSON patch written against the caller's version (of
   * the object, or with subresource 'status' of its status). Sent as is when the
   * server serves that version; otherwise applied here to the object read in the
   * caller's version and written back with its resourceVersion as precondition.
   * A resourceVersion the patch sets itself is a precondition of the caller's:
   * a conflict with it is not retried.
   */
  patch(name: string, patch: unknown, opts: { type?: ClientPatchType; subresource?: 'status' } = {}): Promise<T> {
    return this.withTarget(async (target, client) => {
      if (target.info === this.info) return this.decode(target, await client.patch(name, patch, opts));
      const apply = patchFunction(PATCH_CONTENT_TYPES[opts.type ?? 'merge'], patch, () => this.scheme.schemaFor(this.info.type));
      for (let attempt = 1; ; attempt++) {
        const current = this.decode(target, await client.get(name));
        const patched = this.decodePatched(apply(this.scheme.toPlain(current)));
        const preconditioned = patched.metadata.resourceVersion !== undefined && patched.metadata.resourceVersion !== current.metadata.resourceVersion;
        patched.metadata.resourceVersion ??= current.metadata.resourceVersion;
        try {
          const body = this.encode(target, patched);
          return this.decode(target, await (opts.subresource === 'status' ? client.updateStatus(body) : client.update(body)));
        } catch (err) {
          if (!isConflict(err) || preconditioned || attempt === PATCH_ATTEMPTS) throw err;
        }
      }
    });
  }

  delete(name: string, opts: ClientDeleteOptions = {}): Promise<void> {
    return this.withTarget((_target, client) => client.delete(name, opts));
  }

  /**
   * Runs a request of the caller's own against the version the server is spoken
   * to in, with a plain client of that version: for callers that convert plain
   * JSON themselves (Scheme.convertPlain), say to pass objects through untouched
   * when the server serves the caller's version. As with every other method, a
   * resource found gone (404) is looked up anew and the request run once more.
   */
  withServedVersion<R>(request: (client: DynamicResourceClient, served: GroupVersionKind) => Promise<R>): Promise<R> {
    return this.withTarget((target, client) => request(client, target.info.gvk));
  }

  /** An informer over this client: a cache of the caller's version kept current by list and watch. */
  informer(options: InformerOptions = {}): Informer<T> {
    return new Informer(this, options);
  }

  /** Runs a request against the target; when the resource is gone, learns the server anew and tries once more. */
  private async withTarget<R>(request: (target: Target, client: DynamicResourceClient) => Promise<R>): Promise<R> {
    const target = await this.resolver.resolve();
    try {
      return await request(target, this.clientFor(target));
    } catch (err) {
      if (!isResourceGone(err)) throw err;
      this.resolver.forget();
      const fresh = await this.resolver.resolve();
      return request(fresh, this.clientFor(fresh));
    }
  }

  private clientFor(target: Target): DynamicResourceClient {
    const { gvk, plural, namespaced } = target.info;
    return new DynamicResourceClient(this.rest, { group: gvk.group, version: gvk.version, plural, namespaced, kind: gvk.kind }, this.namespace);
  }

  /** The server's object (in the target version) as the caller's class. */
  private decode(target: Target, plain: UnstructuredObject): T {
    const served = this.scheme.fromPlain(plain, target.info.gvk);
    return (target.info === this.info ? served : this.scheme.convert(served, this.info.gvk)) as T;
  }

  /** The caller's object as the plain JSON the target version expects. */
  private encode(target: Target, obj: T): Record<string, unknown> {
    return this.scheme.toPlain(target.info === this.info ? obj : this.scheme.convert(obj, target.info.gvk));
  }

  /** A patched object, checked as the caller's version (types, apiVersion and kind) as a server would check it. */
  private decodePatched(patched: unknown): T {
    return this.scheme.decode(JSON.stringify(patched), { mediaType: 'application/json', expected: this.info.gvk }).object as T;
  }
}
