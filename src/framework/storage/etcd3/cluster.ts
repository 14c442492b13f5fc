import type { Etcd3 } from 'etcd3';
import { newEtcdClient } from './client';
import { Compactor } from './compactor';
import { DEFAULT_COMPACTION_INTERVAL_MS, DEFAULT_HEALTH_CHECK_TIMEOUT_MS, type EtcdClusterConfig } from './options';
import { EtcdWatchStream } from './watch-stream';

/**
 * One etcd cluster as this server uses it: a client, the single watch stream all
 * watches share, and the periodic compactor. Storages of many resources share a
 * cluster; it closes when the last of them releases it.
 */
export class EtcdCluster {
  readonly client: Etcd3;
  readonly watchStream: EtcdWatchStream;
  readonly healthCheckTimeoutMs: number;
  private readonly compactor: Compactor | undefined;
  private users = 0;
  private closed = false;

  constructor(readonly config: EtcdClusterConfig) {
    this.client = newEtcdClient(config);
    this.watchStream = new EtcdWatchStream(this.client);
    this.healthCheckTimeoutMs = config.healthCheckTimeoutMs ?? DEFAULT_HEALTH_CHECK_TIMEOUT_MS;
    const compactionIntervalMs = config.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
    this.compactor = compactionIntervalMs > 0 ? new Compactor(this.client.kv, compactionIntervalMs) : undefined;
  }

  /** Counts one more user of the cluster. */
  retain(): void {
    if (this.closed) throw new Error(`the etcd client for ${this.config.servers.join(',')} is closed`);
    this.users += 1;
  }

  /** Gives a use back; the last one closes the client and stops compaction. */
  release(): void {
    this.users -= 1;
    if (this.users > 0 || this.closed) return;
    this.closed = true;
    this.compactor?.stop();
    this.watchStream.close();
    this.client.close();
  }
}
