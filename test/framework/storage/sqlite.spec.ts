import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StorageInterface } from '../../../src/framework/storage/interface';
import { SqliteDatabase } from '../../../src/framework/storage/sqlite/sqlite-database';
import { runStorageConformance } from './conformance';

/**
 * One database file for the whole suite; every storage has its own prefix. A
 * restart closes the file and opens it again, as a server restart would; storages
 * handed out before keep working because they forward to the open database.
 */
class SqliteTarget {
  private db: SqliteDatabase | undefined;
  private dir: string | undefined;
  private storages = new Map<string, StorageInterface>();
  private nextPrefix = 0;

  open(): void {
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-sqlite-'));
    this.db = SqliteDatabase.open({ file: path.join(this.dir, 'state.db') });
    this.storages = new Map();
  }

  async newStorage(): Promise<StorageInterface> {
    const prefix = `/conformance-${this.nextPrefix++}`;
    return forwardingStorage(() => {
      let storage = this.storages.get(prefix);
      if (!storage) {
        storage = this.db!.storage(prefix);
        this.storages.set(prefix, storage);
      }
      return storage;
    });
  }

  async restartBackend(): Promise<void> {
    await this.db!.close();
    this.open();
  }

  async dispose(): Promise<void> {
    await this.db?.close();
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function forwardingStorage(current: () => StorageInterface): StorageInterface {
  return {
    create: (key, obj) => current().create(key, obj),
    get: (key, opts) => current().get(key, opts),
    list: (key, opts) => current().list(key, opts),
    guaranteedUpdate: (key, opts) => current().guaranteedUpdate(key, opts),
    delete: (key, opts) => current().delete(key, opts),
    watch: (key, opts) => current().watch(key, opts),
    count: (key) => current().count(key),
    currentRevision: () => current().currentRevision(),
    compact: (revision) => current().compact(revision),
    healthCheck: () => current().healthCheck(),
    close: () => current().close(),
  };
}

const target = new SqliteTarget();
describe('sqlite storage', () => {
  before(() => target.open());
  after(() => target.dispose());
  runStorageConformance('sqlite', target);
});
