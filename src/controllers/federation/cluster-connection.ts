/**
 * The controller's line to one member cluster: a client made from the
 * MemberCluster and its credentials, what the last probe found (does the
 * cluster answer, which group versions does it serve), the member's objects of
 * a resource in the version the host renders them in, and watches of the
 * objects the controller manages there. A changed MemberCluster or credential
 * gets a new connection; close() ends the old one's watches and sockets.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  DiscoveryClient,
  DynamicResourceClient,
  Informer,
  isStatusError,
  RESTClient,
  VersionAdaptingClient,
  type Class,
  type ClientConfig,
  type KubeObject,
  type ListerWatcher,
  type ResourceInfo,
  type ResourceLocation,
  type Scheme,
} from '../../index';
import { MANAGED_LABEL, ORIGIN_ANNOTATION, type APIGroupVersions } from '../../apis/federation/types';
import { ConvertedObjects, RenderedVersionObjects, type MemberObjects } from './member-objects';
import type { TargetResource } from './propagation-engine';

export interface ProbeResult {
  ready: boolean;
  /** CamelCase, for the Ready condition. */
  reason: string;
  message: string;
}

interface APIVersionsBody {
  versions?: string[];
}

interface APIGroupListBody {
  groups?: { name: string; versions?: { version: string }[] }[];
}

/** A kind the target Scheme knows, in the version the host renders it in. */
interface ConvertibleKind {
  scheme: Scheme;
  info: ResourceInfo;
}

const locationKey = (l: ResourceLocation) => `${l.plural}.${l.group}/${l.version}`;

export class ClusterConnection {
  /** What the last probe (or a failed request since) found; not ready until the first probe. */
  state: ProbeResult = { ready: false, reason: 'NotProbed', message: 'the cluster has not been probed yet' };
  apiGroups: APIGroupVersions[] = [];
  private readonly rest: RESTClient;
  /** What the cluster serves, resource by resource, for the kinds converted; forgotten when a probe finds the versions changed. */
  private readonly discovery: DiscoveryClient;
  private readonly watches = new Map<string, AbortController>();

  constructor(
    readonly name: string,
    config: ClientConfig,
    /** Told the origin annotation of every managed object that changes in the cluster. */
    private readonly onManagedChange: (origin: string) => void,
    private readonly watchBackoffMs: { initial: number; max: number },
    /** The kinds written in another version where the cluster does not serve the rendered one; none when absent. */
    private readonly targetScheme?: Scheme,
  ) {
    this.rest = new RESTClient(config);
    this.discovery = new DiscoveryClient(this.rest);
  }

  get ready(): boolean {
    return this.state.ready;
  }

  /** Asks the cluster which versions it serves; a failure (or no answer within timeoutMs) makes it not ready. */
  async probe(timeoutMs: number): Promise<ProbeResult> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const [core, groups] = await Promise.all([
        this.rest.request<APIVersionsBody>('/api', { signal }),
        this.rest.request<APIGroupListBody>('/apis', { signal }),
      ]);
      const apiGroups = [
        { name: '', versions: core.versions ?? [] },
        ...(groups.groups ?? []).map((g) => ({ name: g.name, versions: (g.versions ?? []).map((v) => v.version) })),
      ];
      // An upgraded (or downgraded) cluster: choose the versions to write in anew.
      if (!isDeepStrictEqual(apiGroups, this.apiGroups)) this.discovery.invalidate();
      this.apiGroups = apiGroups;
      this.state = { ready: true, reason: 'ClusterReady', message: 'the cluster answers discovery' };
    } catch (err) {
      this.markUnreachable(err);
    }
    return this.state;
  }

  /** A request failed in a way that says the cluster cannot be used now. */
  markUnreachable(err: unknown): void {
    if (isStatusError(err) && (err.code === 401 || err.code === 403)) {
      this.state = { ready: false, reason: 'Unauthorized', message: `the cluster refuses the credentials: ${err.message}` };
    } else {
      const message = err instanceof Error ? err.message : String(err);
      this.state = { ready: false, reason: 'ClusterNotReachable', message: `the cluster does not answer: ${message || (err as { code?: string }).code}` };
    }
  }

  serves(group: string, version: string): boolean {
    return this.apiGroups.some((g) => g.name === group && (g.versions ?? []).includes(version));
  }

  resource(location: ResourceLocation, namespace?: string): DynamicResourceClient {
    const client = new DynamicResourceClient(this.rest, location);
    return namespace && location.namespaced ? client.inNamespace(namespace) : client;
  }

  /** The cluster's objects of the target resource, in the target's version (see MemberObjects). */
  objects(target: TargetResource, namespace?: string): MemberObjects {
    const known = this.convertible(target);
    if (!known) return new RenderedVersionObjects(this.resource(target, namespace), this);
    return new ConvertedObjects(known.scheme, this.adaptingClient(known, namespace), this);
  }

  /** Watches the managed objects of a resource here (once per resource, in whichever version it is written in), reporting each change's origin. */
  watchManaged(target: TargetResource): void {
    const key = locationKey(target);
    if (this.watches.has(key)) return;
    const stop = new AbortController();
    this.watches.set(key, stop);
    const known = this.convertible(target);
    const objects: ListerWatcher<KubeObject> = known ? this.adaptingClient(known) : this.resource(target);
    const informer = new Informer<KubeObject>(objects, {
      labelSelector: `${MANAGED_LABEL}=true`,
      initialBackoffMs: this.watchBackoffMs.initial,
      maxBackoffMs: this.watchBackoffMs.max,
    });
    const report = (obj: KubeObject) => {
      const origin = obj.metadata.annotations?.[ORIGIN_ANNOTATION];
      if (origin) this.onManagedChange(origin);
    };
    informer.on('add', report).on('update', report).on('delete', report);
    void informer.run(stop.signal);
  }

  /** The target's version as the Scheme knows it, if it does. */
  private convertible(target: TargetResource): ConvertibleKind | undefined {
    const scheme = this.targetScheme;
    const info = scheme?.resourceInfoForKind({ group: target.group, version: target.version, kind: target.kind });
    return scheme && info && info.plural === target.plural && info.namespaced === target.namespaced ? { scheme, info } : undefined;
  }

  private adaptingClient({ scheme, info }: ConvertibleKind, namespace?: string): VersionAdaptingClient<KubeObject> {
    const options = { namespace: info.namespaced ? namespace : undefined, discovery: this.discovery };
    return new VersionAdaptingClient<KubeObject>(this.rest, scheme, info.type as Class<KubeObject>, options);
  }

  close(): void {
    for (const stop of this.watches.values()) stop.abort();
    this.watches.clear();
    this.rest.close();
  }
}
