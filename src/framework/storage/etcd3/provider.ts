import type { GroupResource } from '../../api/status';
import type { StorageFactory } from '../factory';
import { EtcdCluster } from './cluster';
import type { EtcdClusterConfig } from './options';
import { serversForResource, type EtcdServersOverride } from './servers-overrides';
import { Etcd3Storage } from './store';

export interface Etcd3StorageProviderOptions extends Omit<EtcdClusterConfig, 'servers'> {
  /** --etcd-servers: where every resource lives unless overridden. */
  servers: string[];
  /** --etcd-servers-overrides, parsed with parseEtcdServersOverrides. */
  overrides?: EtcdServersOverride[];
  /** --etcd-prefix; default /registry. Overridden resources keep the same keys on their own cluster. */
  prefix?: string;
}

/**
 * The etcd3 backend of the storage factory: hands each resource a storage on the
 * cluster its resource is routed to (kube-apiserver's --etcd-servers-overrides).
 * Resources on the same servers share one client, one watch stream and one
 * compactor. Every cluster is set up at construction, so that a bad TLS file
 * fails the start and /readyz covers every cluster from the first request.
 */
export class Etcd3StorageProvider implements StorageFactory {
  private readonly clusters = new Map<string, EtcdCluster>();
  private readonly storages = new Set<Etcd3Storage>();
  private closed = false;

  constructor(private readonly options: Etcd3StorageProviderOptions) {
    for (const servers of [options.servers, ...(options.overrides ?? []).map((o) => o.servers)]) {
      const id = servers.join(',');
      if (this.clusters.has(id)) continue;
      const cluster = new EtcdCluster({
        servers,
        tls: options.tls,
        compactionIntervalMs: options.compactionIntervalMs,
        requestTimeoutMs: options.requestTimeoutMs,
        healthCheckTimeoutMs: options.healthCheckTimeoutMs,
      });
      // The provider's own use keeps the cluster open while its resources' storages come and go.
      cluster.retain();
      this.clusters.set(id, cluster);
    }
  }

  /** A new storage for one resource; closing it leaves the other resources' storages working. */
  forResource(resource: GroupResource): Etcd3Storage {
    if (this.closed) throw new Error('the etcd3 storage provider is closed');
    const servers = serversForResource(resource, this.options.servers, this.options.overrides ?? []);
    const storage = new Etcd3Storage(this.clusters.get(servers.join(','))!, { prefix: this.options.prefix });
    this.storages.add(storage);
    return storage;
  }

  /** Resolves when every cluster answers; rejects with the first failure otherwise. */
  async healthCheck(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((cluster) => cluster.healthCheck(this.options.prefix)));
  }

  /** Closes every storage handed out and every etcd client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.storages].map((storage) => storage.close()));
    for (const cluster of this.clusters.values()) cluster.release();
  }
}

/** A storage with an etcd client of its own, closed with it. */
export function newEtcd3Storage(options: EtcdClusterConfig & { prefix?: string }): Etcd3Storage {
  const { prefix, ...clusterConfig } = options;
  return new Etcd3Storage(new EtcdCluster(clusterConfig), { prefix });
}
