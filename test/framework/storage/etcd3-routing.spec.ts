import assert from 'node:assert/strict';
import { isStorageError } from '../../../src/framework/storage/errors';
import { newEtcd3Storage, parseEtcdServersOverrides } from '../../../src/framework/storage/etcd3';
import { createStorageFactory, type StorageFactory } from '../../../src/framework/storage/factory';
import type { StoredObject } from '../../../src/framework/storage/interface';
import { startEtcd, type EtcdProcess } from '../../support/etcd';

describe('etcd3 --etcd-servers-overrides', function () {
  this.timeout(60_000);

  describe('parsing', () => {
    it('reads kube-apiserver’s group/resource#servers;servers entries, the core group written empty', () => {
      assert.deepEqual(parseEtcdServersOverrides('/events#https://10.0.0.5:2379;https://10.0.0.6:2379,apps/deployments#http://127.0.0.1:4001'), [
        { group: '', resource: 'events', servers: ['https://10.0.0.5:2379', 'https://10.0.0.6:2379'] },
        { group: 'apps', resource: 'deployments', servers: ['http://127.0.0.1:4001'] },
      ]);
      assert.deepEqual(parseEtcdServersOverrides(['/events#http://a:2379', 'nginx.example.com/upstreams#http://b:2379']), [
        { group: '', resource: 'events', servers: ['http://a:2379'] },
        { group: 'nginx.example.com', resource: 'upstreams', servers: ['http://b:2379'] },
      ]);
      assert.deepEqual(parseEtcdServersOverrides(''), []);
    });

    it('names the entry it cannot read', () => {
      assert.throws(() => parseEtcdServersOverrides('events#http://a:2379'), /"events#http:\/\/a:2379".*group\/resource/);
      assert.throws(() => parseEtcdServersOverrides('/events'), /expected group\/resource#servers/);
      assert.throws(() => parseEtcdServersOverrides('/events#'), /no servers/);
    });
  });

  describe('routing across two etcd clusters', () => {
    let main: EtcdProcess;
    let events: EtcdProcess;
    let factory: StorageFactory;

    before(async () => {
      [main, events] = await Promise.all([startEtcd(), startEtcd()]);
      factory = createStorageFactory({
        backend: 'etcd3',
        servers: [main.endpoint],
        overrides: parseEtcdServersOverrides(`/events#${events.endpoint}`),
        compactionIntervalMs: 0,
      });
    });

    after(async () => {
      await factory?.close();
      await Promise.all([main?.stop(), events?.stop()]);
    });

    afterEach(() => events?.resume());

    it('keeps an overridden resource on its own cluster and every other resource on the default one', async () => {
      const eventStore = factory.forResource({ group: '', resource: 'events' });
      const upstreamStore = factory.forResource({ group: 'nginx.example.com', resource: 'upstreams' });
      await eventStore.create('/events/default/e1', object('e1'));
      await upstreamStore.create('/nginx.example.com/upstreams/default/web', object('web'));

      const onMain = newEtcd3Storage({ servers: [main.endpoint], compactionIntervalMs: 0 });
      const onEvents = newEtcd3Storage({ servers: [events.endpoint], compactionIntervalMs: 0 });
      try {
        assert.equal((await onEvents.get('/events/default/e1'))?.metadata.name, 'e1');
        assert.equal(await onMain.get('/events/default/e1', { ignoreNotFound: true }), null);
        assert.equal((await onMain.get('/nginx.example.com/upstreams/default/web'))?.metadata.name, 'web');
        assert.equal(await onEvents.get('/nginx.example.com/upstreams/default/web', { ignoreNotFound: true }), null);
      } finally {
        await Promise.all([onMain.close(), onEvents.close()]);
      }
    });

    it('keeps serving the other resources while the overridden cluster is down', async () => {
      const eventStore = factory.forResource({ group: '', resource: 'events' });
      const upstreamStore = factory.forResource({ group: 'nginx.example.com', resource: 'upstreams' });
      await factory.healthCheck();
      events.pause();
      await assert.rejects(eventStore.healthCheck(), (err) => isStorageError(err, 'Unavailable'));
      await assert.rejects(factory.healthCheck(), (err) => isStorageError(err, 'Unavailable'), 'the factory is only healthy with every cluster');
      await upstreamStore.healthCheck();
      await upstreamStore.create('/nginx.example.com/upstreams/default/api', object('api'));
      events.resume();
      await eventStore.healthCheck();
      await factory.healthCheck();
    });

    it('closing one resource’s storage leaves the others on the same cluster working', async () => {
      const first = factory.forResource({ group: 'nginx.example.com', resource: 'upstreams' });
      const second = factory.forResource({ group: 'nginx.example.com', resource: 'servers' });
      await first.close();
      await second.create('/nginx.example.com/servers/default/s1', object('s1'));
      assert.equal((await second.get('/nginx.example.com/servers/default/s1'))?.metadata.name, 's1');
    });
  });
});

function object(name: string): StoredObject {
  return { apiVersion: 'v1', kind: 'Thing', metadata: { name, namespace: 'default', uid: `uid-${name}` } };
}
