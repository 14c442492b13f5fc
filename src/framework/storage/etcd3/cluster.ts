import type { Etcd3 } from 'etcd3';
import { StorageError } from '../errors';
import { DEFAULT_STORAGE_PREFIX, normalizePrefix } from '../keys';
import { newEtcdClient } from './client';
import { Compactor } from './compactor';
import { translateError } from './etcd-errors';
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
  private readonly healthCheckTimeoutMs: number;
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

  /**
   * Reads `<prefix>/health` as kube-apiserver does; rejects with StorageError
   * 'Unavailable' when etcd does not answer within the health check deadline.
   */
  async healthCheck(prefix = DEFAULT_STORAGE_PREFIX): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new StorageError('Unavailable', '', `etcd did not answer within ${this.healthCheckTimeoutMs} ms`)),
        this.healthCheckTimeoutMs,
      );
    });
    const probe = this.client.kv.range({ key: Buffer.from(`${normalizePrefix(prefix)}/health`), count_only: true }).catch((err: unknown) => {
      throw translateError(err, '');
    });
    try {
      await Promise.race([probe, deadline]);
    } finally {
      clearTimeout(timer);
    }
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
