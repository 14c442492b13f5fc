/**
 * A member cluster's objects of one resource, always spoken in the version the
 * host renders them in. A kind the host's Scheme knows is written in a version
 * the member serves — the rendered one where served, else one the Scheme
 * converts to and from, as the VersionAdaptingClient chooses it from the
 * member's discovery — and read back converted, so that what the engine
 * compares is in the rendered version either way. Any other kind (a custom
 * resource) is used in the rendered version only.
 */
import {
  apiVersionOf,
  NoConvertibleVersionError,
  type ClientDeleteOptions,
  type DynamicResourceClient,
  type GroupVersionKind,
  type KubeObject,
  type Scheme,
  type UnstructuredObject,
  type VersionAdaptingClient,
} from '../../index';
import type { APIGroupVersions } from '../../apis/federation/types';

export interface MemberObjects {
  /** The apiVersion the member holds the objects in; rejects when it serves none that will do (see isVersionNotServed). */
  servedVersion(): Promise<string>;
  get(name: string): Promise<UnstructuredObject>;
  create(obj: Record<string, unknown>): Promise<UnstructuredObject>;
  /** PUT of the whole object, its resourceVersion a precondition. */
  update(obj: Record<string, unknown>): Promise<UnstructuredObject>;
  delete(name: string, opts?: ClientDeleteOptions): Promise<void>;
}

/** As last probed, the cluster does not serve the version of a kind the controller cannot convert. */
export class VersionNotServedError extends Error {
  constructor(apiVersion: string) {
    super(`the cluster does not serve ${apiVersion}`);
    this.name = 'VersionNotServedError';
  }
}

/** What the cluster's last probe found it serves. */
export interface ProbedVersions {
  readonly apiGroups: APIGroupVersions[];
  serves(group: string, version: string): boolean;
}

/** The member serves no version the objects can be written in. */
export function isVersionNotServed(err: unknown): boolean {
  return err instanceof VersionNotServedError || err instanceof NoConvertibleVersionError;
}

/** A kind the controller cannot convert: the rendered version, when the member's last probe found it served. */
export class RenderedVersionObjects implements MemberObjects {
  constructor(
    private readonly client: DynamicResourceClient,
    private readonly probed: ProbedVersions,
  ) {}

  async servedVersion(): Promise<string> {
    const { location } = this.client;
    if (!this.probed.serves(location.group, location.version)) throw new VersionNotServedError(apiVersionOf(location));
    return apiVersionOf(location);
  }

  get(name: string): Promise<UnstructuredObject> {
    return this.client.get(name);
  }

  create(obj: Record<string, unknown>): Promise<UnstructuredObject> {
    return this.client.create(obj);
  }

  update(obj: Record<string, unknown>): Promise<UnstructuredObject> {
    return this.client.update(obj);
  }

  delete(name: string, opts?: ClientDeleteOptions): Promise<void> {
    return this.client.delete(name, opts);
  }
}

/**
 * A kind the Scheme knows: objects pass through untouched where the member
 * serves the rendered version, and are converted (rendered version's defaults
 * first, as a server decoding them would) where it serves another.
 */
export class ConvertedObjects implements MemberObjects {
  constructor(
    private readonly scheme: Scheme,
    /** Speaks the rendered version. */
    private readonly client: VersionAdaptingClient<KubeObject>,
    private readonly probed: ProbedVersions,
  ) {}

  /**
   * The version the client chose from the cluster's discovery. A cluster whose
   * last probe found none of the convertible group versions is refused from
   * that alone: it is asked nothing (every object of every federated type would
   * ask it again and again).
   */
  async servedVersion(): Promise<string> {
    const convertible = this.client.convertibleVersions();
    if (!convertible.some((v) => this.probed.serves(v.group, v.version))) throw this.noneServed(convertible);
    return apiVersionOf(await this.client.servedVersion());
  }

  get(name: string): Promise<UnstructuredObject> {
    return this.client.withServedVersion(async (objects) => this.fromMember(await objects.get(name)));
  }

  create(obj: Record<string, unknown>): Promise<UnstructuredObject> {
    return this.client.withServedVersion(async (objects, served) => this.fromMember(await objects.create(this.toMember(obj, served))));
  }

  update(obj: Record<string, unknown>): Promise<UnstructuredObject> {
    return this.client.withServedVersion(async (objects, served) => this.fromMember(await objects.update(this.toMember(obj, served))));
  }

  delete(name: string, opts?: ClientDeleteOptions): Promise<void> {
    return this.client.withServedVersion((objects) => objects.delete(name, opts));
  }

  /** The client's refusal, from the probe: what the cluster serves of the kind's groups (same-named kinds elsewhere are not looked for). */
  private noneServed(convertible: GroupVersionKind[]): NoConvertibleVersionError {
    const groups = new Set(convertible.map((v) => v.group));
    const servedInGroups = this.probed.apiGroups
      .filter((g) => groups.has(g.name))
      .flatMap((g) => (g.versions ?? []).map((version) => apiVersionOf({ group: g.name, version })));
    return new NoConvertibleVersionError(this.client.info.gvk, convertible.map(apiVersionOf), servedInGroups, []);
  }

  private toMember(obj: Record<string, unknown>, served: GroupVersionKind): Record<string, unknown> {
    return this.scheme.convertPlain(obj, served);
  }

  private fromMember(obj: UnstructuredObject): UnstructuredObject {
    return this.scheme.convertPlain(obj, this.client.info.gvk) as UnstructuredObject;
  }
}
