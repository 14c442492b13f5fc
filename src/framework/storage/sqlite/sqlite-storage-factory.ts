import fs from 'node:fs';
import path from 'node:path';
import type { GroupResource } from '../../api/status';
import type { StorageFactory, SqliteStorageFactoryOptions } from '../factory';
import { SqliteDatabase } from './sqlite-database';
import type { SqliteStorage } from './sqlite-storage';

/** The file name in --data-dir, as k3s names its kine database. */
export const SQLITE_DATABASE_FILE = 'state.db';

/** Opens the database file and hands every resource a storage on it. */
export function newSqliteStorageFactory(options: SqliteStorageFactoryOptions): StorageFactory {
  const { backend: _backend, dataDir, file, prefix, ...tuning } = options;
  if (!file && !dataDir) throw new Error('the sqlite storage backend needs a data directory or a database file');
  const databaseFile = file ?? path.join(dataDir!, SQLITE_DATABASE_FILE);
  fs.mkdirSync(path.dirname(databaseFile), { recursive: true });
  const db = SqliteDatabase.open({ ...tuning, file: databaseFile });
  const storages = new Map<string, SqliteStorage>();
  return {
    forResource(gr: GroupResource): SqliteStorage {
      const id = `${gr.group}/${gr.resource}`;
      let storage = storages.get(id);
      if (!storage) {
        storage = db.storage(prefix);
        storages.set(id, storage);
      }
      return storage;
    },
    healthCheck: () => db.healthCheck(),
    close: () => db.close(),
  };
}
