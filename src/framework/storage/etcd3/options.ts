/** Client certificate and trusted CA for etcd (kube-apiserver's --etcd-cafile, --etcd-certfile, --etcd-keyfile). */
export interface EtcdTLSFiles {
  /** CA bundle that signed etcd's serving certificate; the system roots when unset. */
  caFile?: string;
  /** Client certificate presented to etcd; needs keyFile. */
  certFile?: string;
  keyFile?: string;
}

/** How to reach one etcd cluster and how this server looks after it. */
export interface EtcdClusterConfig {
  /** Client URLs of the cluster's members (--etcd-servers), e.g. https://10.0.0.1:2379. */
  servers: string[];
  tls?: EtcdTLSFiles;
  /**
   * --etcd-compaction-interval in milliseconds: how often history older than one
   * interval is compacted away. Default 5 minutes; 0 leaves compaction to others.
   */
  compactionIntervalMs?: number;
  /** Deadline of each etcd request (watches excepted). Default 15 s. */
  requestTimeoutMs?: number;
  /** Deadline of healthCheck, so that /readyz answers while etcd does not. Default 2 s. */
  healthCheckTimeoutMs?: number;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;
export const DEFAULT_HEALTH_CHECK_TIMEOUT_MS = 2_000;
