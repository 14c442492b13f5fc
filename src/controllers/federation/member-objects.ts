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

export interface MemberObjects {
  /** The apiVersion the member holds the objects in; rejects when it serves none that will do (see isVersionNotServed). */
  servedVersion(): Promise<string>;
  get(name: string): Promise<UnstructuredObject>;
  create(obj: Record<string, unknown>): Promise<UnstructuredObject>;
  /** PUT of the whole object, its resourceVersion a precondition. */
  update(obj: Record<string, unknown>): Promise<UnstructuredObject>;
  delete(name: string, opts?: ClientDeleteOptions): Promise<void>;
}

/** The member serves the rendered version of a kind the controller cannot convert. */
export class VersionNotServedError extends Error {
  constructor(apiVersion: string) {
    super(`the cluster does not serve ${apiVersion}`);
    this.name = 'VersionNotServedError';
  }
}

/** The member serves no version the objects can be written in. */
export function isVersionNotServed(err: unknown): boolean {
  return err instanceof VersionNotServedError || err instanceof NoConvertibleVersionError;
}

/** A kind the controller cannot convert: the rendered version, when the member's last probe found it served. */
export class RenderedVersionObjects implements MemberObjects {
  constructor(
    private readonly client: DynamicResourceClient,
    /** Whether the member serves the client's group version, as last probed. */
    private readonly served: () => boolean,
  ) {}

  async servedVersion(): Promise<string> {
    const apiVersion = apiVersionOf(this.client.location);
    if (!this.served()) throw new VersionNotServedError(apiVersion);
    return apiVersion;
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
  ) {}

  async servedVersion(): Promise<string> {
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

  private toMember(obj: Record<string, unknown>, served: GroupVersionKind): Record<string, unknown> {
    return this.scheme.convertPlain(obj, served);
  }

  private fromMember(obj: UnstructuredObject): UnstructuredObject {
    return this.scheme.convertPlain(obj, this.client.info.gvk) as UnstructuredObject;
  }
}
