import type { GroupResource } from '../../api/status';
import type { StorageInterface } from '../interface';
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
 * Hands each resource an etcd3 storage on the cluster its resource is routed to
 * (kube-apiserver's --etcd-servers-overrides). Resources on the same servers
 * share one client, one watch stream and one compactor.
 */
export class Etcd3StorageProvider {
  private readonly clusters = new Map<string, EtcdCluster>();
  private readonly storages = new Set<Etcd3Storage>();
  private closed = false;

  constructor(private readonly options: Etcd3StorageProviderOptions) {}

  /** A storage for one resource; closing it leaves the other resources' storages working. */
  storageFor(resource: GroupResource): StorageInterface {
    if (this.closed) throw new Error('the etcd3 storage provider is closed');
    const servers = serversForResource(resource, this.options.servers, this.options.overrides ?? []);
    const storage = new Etcd3Storage(this.clusterFor(servers), { prefix: this.options.prefix });
    this.storages.add(storage);
    return storage;
  }

  /** Closes every storage handed out and every etcd client. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.storages].map((storage) => storage.close()));
    for (const cluster of this.clusters.values()) cluster.release();
  }

  private clusterFor(servers: string[]): EtcdCluster {
    const id = servers.join(',');
    let cluster = this.clusters.get(id);
    if (!cluster) {
      const { overrides: _overrides, prefix: _prefix, ...clusterConfig } = this.options;
      cluster = new EtcdCluster({ ...clusterConfig, servers });
      // The provider's own use keeps the cluster open while its resources' storages come and go.
      cluster.retain();
      this.clusters.set(id, cluster);
    }
    return cluster;
  }
}

/** A storage with an etcd client of its own, closed with it. */
export function newEtcd3Storage(options: EtcdClusterConfig & { prefix?: string }): Etcd3Storage {
  const { prefix, ...clusterConfig } = options;
  return new Etcd3Storage(new EtcdCluster(clusterConfig), { prefix });
}
