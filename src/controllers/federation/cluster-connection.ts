/**
 * The controller's line to one member cluster: a client made from the
 * MemberCluster and its credentials, what the last probe found (does the
 * cluster answer, which group versions does it serve), and watches of the
 * objects the controller manages there. A changed MemberCluster or credential
 * gets a new connection; close() ends the old one's watches and sockets.
 */
import {
  DynamicResourceClient,
  Informer,
  isStatusError,
  RESTClient,
  type ClientConfig,
  type ResourceLocation,
  type UnstructuredObject,
} from '../../index';
import { MANAGED_LABEL, ORIGIN_ANNOTATION, type APIGroupVersions } from '../../apis/federation/types';

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

const locationKey = (l: ResourceLocation) => `${l.plural}.${l.group}/${l.version}`;

export class ClusterConnection {
  /** What the last probe (or a failed request since) found; not ready until the first probe. */
  state: ProbeResult = { ready: false, reason: 'NotProbed', message: 'the cluster has not been probed yet' };
  apiGroups: APIGroupVersions[] = [];
  private readonly rest: RESTClient;
  private readonly watches = new Map<string, AbortController>();

  constructor(
    readonly name: string,
    config: ClientConfig,
    /** Told the origin annotation of every managed object that changes in the cluster. */
    private readonly onManagedChange: (origin: string) => void,
    private readonly watchBackoffMs: { initial: number; max: number },
  ) {
    this.rest = new RESTClient(config);
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
      this.apiGroups = [
        { name: '', versions: core.versions ?? [] },
        ...(groups.groups ?? []).map((g) => ({ name: g.name, versions: (g.versions ?? []).map((v) => v.version) })),
      ];
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

  /** Watches the managed objects of a resource here (once per resource), reporting each change's origin. */
  watchManaged(location: ResourceLocation): void {
    const key = locationKey(location);
    if (this.watches.has(key)) return;
    const stop = new AbortController();
    this.watches.set(key, stop);
    const informer = new Informer<UnstructuredObject>(this.resource(location), {
      labelSelector: `${MANAGED_LABEL}=true`,
      initialBackoffMs: this.watchBackoffMs.initial,
      maxBackoffMs: this.watchBackoffMs.max,
    });
    const report = (obj: UnstructuredObject) => {
      const origin = obj.metadata.annotations?.[ORIGIN_ANNOTATION];
      if (origin) this.onManagedChange(origin);
    };
    informer.on('add', report).on('update', report).on('delete', report);
    void informer.run(stop.signal);
  }

  close(): void {
    for (const stop of this.watches.values()) stop.abort();
    this.watches.clear();
    this.rest.close();
  }
}
