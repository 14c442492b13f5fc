export { loadClientConfig, type ClientConfig } from './client-config';
export { RESTClient, type RESTRequestOptions } from './rest-client';
export {
  DynamicResourceClient,
  type ClientDeleteOptions,
  type ClientListOptions,
  type ClientPatchType,
  type ClientWatchEvent,
  type ClientWatchOptions,
  type ListerWatcher,
  type ObjectList,
  type ResourceLocation,
  type UnstructuredObject,
} from './dynamic-client';
export { ResourceClient } from './resource-client';
export { Informer, type InformerEventType, type InformerHandler, type InformerOptions } from './informer';
export { DiscoveryClient, type ServedGroup, type ServedResource } from './discovery-client';
export { formatMigrationProgress, migrateStorage, type StorageMigrationOptions, type StorageMigrationProgress } from './storage-migrator';
export { MIGRATE_STORAGE_USAGE, parseGroupResource, parseMigrateStorageArgs, type MigrateStorageArgs } from './migrate-storage-options';
export { NoConvertibleVersionError, VersionAdaptingClient, type VersionAdaptingClientOptions } from './version-adapting-client';
