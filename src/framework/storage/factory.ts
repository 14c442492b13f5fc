/**
 * Chooses and builds the storage backend from configuration, and hands each
 * resource its StorageInterface. Each backend registers one builder in
 * `backendBuilders`; a new backend is one options type and one entry.
 */
import type { GroupResource } from '../api/status';
import { Etcd3StorageProvider, type Etcd3StorageProviderOptions } from './etcd3';
import type { StorageInterface } from './interface';
import type { SqliteDatabaseOptions } from './sqlite/sqlite-database';
import { newSqliteStorageFactory } from './sqlite/sqlite-storage-factory';

/** Owns a backend's shared resources (database file, etcd clients) and the storages built on them. */
export interface StorageFactory {
  /** The storage of one resource. Closing it ends its own watches; the backend stays up for the others. */
  forResource(gr: GroupResource): StorageInterface;
  /** Resolves when the backend answers; rejects with the reason otherwise (for /readyz). */
  healthCheck(): Promise<void>;
  /** Closes every storage handed out and releases the backend. */
  close(): Promise<void>;
}

/** The embedded backend: one SQLite file. */
export interface SqliteStorageFactoryOptions extends Omit<SqliteDatabaseOptions, 'file'> {
  backend: 'sqlite';
  /** Directory for the database file `state.db` (--data-dir); created when missing. */
  dataDir?: string;
  /** The database file itself; takes precedence over dataDir. */
  file?: string;
  /** Key prefix (--etcd-prefix); default /registry. */
  prefix?: string;
}

/** etcd clusters: --etcd-servers, --etcd-prefix, TLS files, compaction interval, --etcd-servers-overrides. */
export interface Etcd3StorageFactoryOptions extends Etcd3StorageProviderOptions {
  backend: 'etcd3';
}

export type StorageFactoryOptions = SqliteStorageFactoryOptions | Etcd3StorageFactoryOptions;

export type StorageBackend = StorageFactoryOptions['backend'];

type BackendBuilders = {
  [B in StorageBackend]: (options: Extract<StorageFactoryOptions, { backend: B }>) => StorageFactory;
};

const backendBuilders: BackendBuilders = {
  sqlite: newSqliteStorageFactory,
  etcd3: (options) => new Etcd3StorageProvider(options),
};

export function createStorageFactory(options: StorageFactoryOptions): StorageFactory {
  const build = backendBuilders[options.backend] as ((o: StorageFactoryOptions) => StorageFactory) | undefined;
  // Options may come from flags or a file, past the type checker.
  if (!build) throw new Error(`unknown storage backend "${options.backend}"; expected one of ${Object.keys(backendBuilders).join(', ')}`);
  return build(options);
}
