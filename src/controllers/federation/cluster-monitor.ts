/**
 * Keeps one ClusterConnection per MemberCluster (and its ClusterCredential),
 * probes each periodically, writes what it finds to the MemberCluster's status
 * (the Ready condition and the API groups served), and tells its listeners
 * when the clusters change in a way that may move objects: one joins or
 * leaves, its labels change, or it becomes ready or not ready.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { Informer, isNotFound, ResourceClient, type ClientConfig, type Condition, type RESTClient, type Scheme } from '../../index';
import { CONDITION_READY, CREDENTIAL_KEYS, type ClusterCredential, type MemberCluster, type MemberClusterStatus } from '../../apis/federation/types';
import { ClusterCredentialV1alpha1, MemberClusterV1alpha1 } from '../../apis/federation/v1alpha1/types';
import { ClusterConnection, type ProbeResult } from './cluster-connection';
import type { FederationControllerOptions } from './options';
import type { ClusterCandidate } from './placement';
import { nowTimestamp, sleep } from './timing';

interface Entry {
  connection: ClusterConnection;
  /** What the connection was made from; a different one makes a new connection. */
  fingerprint: string;
  /** Why the cluster cannot be probed at all (no credentials), if so. */
  blocked?: ProbeResult;
}

const fromBase64 = (value: string | undefined) => (value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8'));

export class ClusterMonitor {
  private readonly clusters: Informer<MemberClusterV1alpha1>;
  private readonly credentials: Informer<ClusterCredentialV1alpha1>;
  private readonly memberClusters: ResourceClient<MemberClusterV1alpha1>;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners: (() => void)[] = [];
  /** Connections exist (and clusters are probed) only while run() runs: while this replica leads. */
  private active = false;

  constructor(
    host: RESTClient,
    scheme: Scheme,
    /** Told the origin of every managed object that changes in any member. */
    private readonly onManagedChange: (origin: string) => void,
    private readonly options: FederationControllerOptions,
    private readonly logger: Logger,
    /** The kinds written to a member in another version where it does not serve the rendered one. */
    private readonly targetScheme?: Scheme,
  ) {
    this.memberClusters = new ResourceClient(host, scheme, MemberClusterV1alpha1);
    const onError = (err: unknown) => this.logger.debug({ err }, 'host watch failed; listing again');
    this.clusters = new Informer(this.memberClusters, { onError });
    this.credentials = new Informer(new ResourceClient(host, scheme, ClusterCredentialV1alpha1), { onError });
    const refresh = () => this.refreshConnections();
    this.clusters.on('add', refresh).on('delete', refresh).on('update', (obj, old) => {
      refresh();
      if (!isDeepStrictEqual(obj.metadata.labels ?? {}, old?.metadata.labels ?? {})) this.notify();
    });
    this.credentials.on('add', refresh).on('update', refresh).on('delete', refresh);
  }

  /** Called (synchronously) whenever objects may have to move. */
  onClustersChanged(listener: () => void): void {
    this.listeners.push(listener);
  }

  get(name: string): ClusterConnection | undefined {
    return this.entries.get(name)?.connection;
  }

  /** The clusters there are connections to. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Every member cluster with its labels, for placement. */
  candidates(): ClusterCandidate[] {
    return this.clusters.list().map((c) => ({ name: c.metadata.name ?? '', labels: c.metadata.labels }));
  }

  /** Resolves once at least one MemberCluster exists (or the signal aborts). */
  async waitForClusters(signal: AbortSignal): Promise<void> {
    await this.clusters.waitForSync();
    if (signal.aborted || this.clusters.list().length > 0) return;
    await new Promise<void>((resolve) => {
      this.clusters.on('add', () => resolve());
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Follows the MemberClusters (informers already running) and probes them until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.clusters.waitForSync(), this.credentials.waitForSync()]);
    this.active = true;
    // A new connection is probed at once; then every cluster each interval.
    this.refreshConnections();
    while (!signal.aborted) {
      await sleep(this.options.probeIntervalMs, signal);
      if (!signal.aborted) await this.probeAll();
    }
    this.active = false;
    for (const entry of this.entries.values()) entry.connection.close();
    this.entries.clear();
  }

  /** Starts the host informers; they run until the signal aborts. */
  startInformers(signal: AbortSignal): Promise<unknown> {
    return Promise.all([this.clusters.run(signal), this.credentials.run(signal)]);
  }

  private async probeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((name) => this.probe(name)));
  }

  private async probe(name: string): Promise<void> {
    const entry = this.entries.get(name);
    if (!entry) return;
    const wasReady = entry.connection.ready;
    const state = entry.blocked ?? (await entry.connection.probe(this.options.probeTimeoutMs));
    if (this.entries.get(name) !== entry) return;
    if (state.ready !== wasReady) {
      this.logger.info({ cluster: name, ready: state.ready, reason: state.reason, message: state.message }, 'member cluster readiness changed');
      this.notify();
    }
    await this.writeStatus(name, state, entry.connection);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** Makes, replaces and closes connections to match the MemberClusters and credentials. */
  private refreshConnections(): void {
    if (!this.active) return;
    const wanted = new Set<string>();
    let changed = false;
    for (const cluster of this.clusters.list()) {
      const name = cluster.metadata.name ?? '';
      wanted.add(name);
      const { config, blocked } = this.clientConfig(cluster);
      const fingerprint = JSON.stringify({ config, blocked });
      const current = this.entries.get(name);
      if (current?.fingerprint === fingerprint) continue;
      current?.connection.close();
      const backoff = { initial: this.options.retryInitialMs, max: this.options.retryMaxMs };
      const connection = new ClusterConnection(name, config, this.onManagedChange, backoff, this.targetScheme);
      if (blocked) connection.state = blocked;
      this.entries.set(name, { connection, fingerprint, blocked });
      changed = true;
      void this.probe(name);
    }
    for (const [name, entry] of this.entries) {
      if (wanted.has(name)) continue;
      entry.connection.close();
      this.entries.delete(name);
      changed = true;
    }
    if (changed) this.notify();
  }

  private clientConfig(cluster: MemberCluster): { config: ClientConfig; blocked?: ProbeResult } {
    const spec = cluster.spec;
    const config: ClientConfig = {
      server: spec?.apiEndpoint ?? '',
      caPem: fromBase64(spec?.caBundle),
      insecureSkipTLSVerify: spec?.insecureSkipTLSVerify,
      token: spec?.token,
    };
    const ref = spec?.secretRef?.name;
    if (ref === undefined) return { config };
    const credential: ClusterCredential | undefined = this.credentials.get('', ref);
    if (!credential) return { config, blocked: { ready: false, reason: 'CredentialsMissing', message: `no ClusterCredential named ${ref}` } };
    const data = credential.data ?? {};
    config.token = fromBase64(data[CREDENTIAL_KEYS.token]);
    config.clientCertPem = fromBase64(data[CREDENTIAL_KEYS.clientCertificate]);
    config.clientKeyPem = fromBase64(data[CREDENTIAL_KEYS.clientKey]);
    return { config };
  }

  /** Patches the MemberCluster's status when the probe found something new. */
  private async writeStatus(name: string, state: ProbeResult, connection: ClusterConnection): Promise<void> {
    const cluster = this.clusters.get('', name);
    if (!cluster) return;
    const old = cluster.status?.conditions?.find((c) => c.type === CONDITION_READY);
    const status = state.ready ? 'True' : 'False';
    const ready: Condition = {
      type: CONDITION_READY,
      status,
      lastTransitionTime: old?.status === status ? old.lastTransitionTime : nowTimestamp(),
      reason: state.reason,
      message: state.message,
    };
    const wanted: MemberClusterStatus = { conditions: [ready], apiGroups: state.ready ? connection.apiGroups : (cluster.status?.apiGroups ?? []) };
    const current = JSON.parse(JSON.stringify(cluster.status ?? {})) as MemberClusterStatus;
    if (isDeepStrictEqual(current, JSON.parse(JSON.stringify(wanted)))) return;
    try {
      await this.memberClusters.patch(name, { status: wanted }, { subresource: 'status' });
    } catch (err) {
      if (!isNotFound(err)) this.logger.warn({ err, cluster: name }, 'MemberCluster status not written');
    }
  }
}
