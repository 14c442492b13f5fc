export { EtcdCluster } from './cluster';
export {
  DEFAULT_COMPACTION_INTERVAL_MS,
  DEFAULT_HEALTH_CHECK_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  type EtcdClusterConfig,
  type EtcdTLSFiles,
} from './options';
export { Etcd3StorageProvider, newEtcd3Storage, type Etcd3StorageProviderOptions } from './provider';
export { parseEtcdServersOverrides, serversForResource, type EtcdServersOverride } from './servers-overrides';
export { Etcd3Storage, type Etcd3StorageOptions } from './store';
