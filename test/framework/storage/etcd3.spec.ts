import { EtcdCluster, Etcd3Storage } from '../../../src/framework/storage/etcd3';
import { startEtcd, type EtcdProcess } from '../../support/etcd';
import { runStorageConformance } from './conformance';

describe('etcd3 storage', function () {
  this.timeout(60_000);
  let etcd: EtcdProcess;
  let cluster: EtcdCluster;
  let storages = 0;

  before(async () => {
    etcd = await startEtcd();
    cluster = new EtcdCluster({ servers: [etcd.endpoint], compactionIntervalMs: 0 });
    // Held by the suite so that the client outlives each test's storages.
    cluster.retain();
  });

  after(async () => {
    cluster?.release();
    await etcd?.stop();
  });

  runStorageConformance('etcd3', {
    newStorage: async () => new Etcd3Storage(cluster, { prefix: `/conformance-${++storages}` }),
    restartBackend: () => etcd.restart(),
  });
});
