import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cacher } from '../../../src/framework/storage/cacher';
import { EtcdCluster, Etcd3Storage } from '../../../src/framework/storage/etcd3';
import type { StorageInterface } from '../../../src/framework/storage/interface';
import { SqliteDatabase } from '../../../src/framework/storage/sqlite';
import { startEtcd, type EtcdProcess } from '../../support/etcd';
import { runStorageConformance } from './conformance';

/** The conformance suite's keys live below /things/; its other prefixes go around the cache. */
const CACHED_PREFIX = '/things/';

/**
 * Wraps each backend storage of a test in a started Cacher. The suite closes the
 * cacher; the backend storages are closed here after it, as their owner would.
 */
class CachedStorages {
  private readonly backends: StorageInterface[] = [];

  async wrap(backend: StorageInterface): Promise<StorageInterface> {
    this.backends.push(backend);
    // A short bookmark period keeps the progress test quick; the contract allows up to 10 s.
    const cacher = new Cacher(backend, { prefix: CACHED_PREFIX, bookmarkIntervalMs: 1000 });
    await cacher.start();
    return cacher;
  }

  async closeBackends(): Promise<void> {
    for (const backend of this.backends.splice(0)) await backend.close();
  }
}

describe('cacher over sqlite', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-cacher-sqlite-'));
  const file = path.join(dir, 'state.db');
  const cached = new CachedStorages();
  let database: SqliteDatabase;
  let prefixes = 0;

  before(() => {
    database = SqliteDatabase.open({ file });
  });
  afterEach(() => cached.closeBackends());
  after(async () => {
    await database.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  runStorageConformance('cacher(sqlite)', {
    newStorage: () => {
      // Reaches whichever database is open, so that the storage outlives a restart.
      const prefix = `/conformance-${++prefixes}`;
      let opened: { database: SqliteDatabase; storage: StorageInterface } | undefined;
      const current = (): StorageInterface => {
        if (opened?.database !== database) opened = { database, storage: database.storage(prefix) };
        return opened.storage;
      };
      const forwarding = new Proxy({} as StorageInterface, {
        get: (_, method: keyof StorageInterface) => (...args: unknown[]) => (current()[method] as (...a: unknown[]) => unknown)(...args),
      });
      return cached.wrap(forwarding);
    },
    restartBackend: async () => {
      await database.close();
      database = SqliteDatabase.open({ file });
    },
  });
});

describe('cacher over etcd3', function () {
  this.timeout(60_000);
  const cached = new CachedStorages();
  let etcd: EtcdProcess;
  let cluster: EtcdCluster;
  let prefixes = 0;

  before(async () => {
    etcd = await startEtcd();
    cluster = new EtcdCluster({ servers: [etcd.endpoint], compactionIntervalMs: 0 });
    cluster.retain();
  });
  afterEach(() => cached.closeBackends());
  after(async () => {
    cluster?.release();
    await etcd?.stop();
  });

  runStorageConformance('cacher(etcd3)', {
    newStorage: () => cached.wrap(new Etcd3Storage(cluster, { prefix: `/conformance-${++prefixes}` })),
    restartBackend: () => etcd.restart(),
  });
});
