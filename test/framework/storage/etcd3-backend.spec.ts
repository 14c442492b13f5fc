import assert from 'node:assert/strict';
import { Etcd3 } from 'etcd3';
import { isStorageError } from '../../../src/framework/storage/errors';
import type { StorageInterface, StoredObject, WatchEvent } from '../../../src/framework/storage/interface';
import { newEtcd3Storage } from '../../../src/framework/storage/etcd3';
import { startEtcd, type EtcdProcess } from '../../support/etcd';

/** What the etcd3 backend does beyond the shared contract: key layout, periodic compaction, big messages, outages. */
describe('etcd3 storage backend', function () {
  this.timeout(60_000);
  let etcd: EtcdProcess;
  let raw: Etcd3;
  const opened: StorageInterface[] = [];

  function storage(options: { prefix?: string; compactionIntervalMs?: number } = {}): StorageInterface {
    const s = newEtcd3Storage({ servers: [etcd.endpoint], compactionIntervalMs: 0, ...options });
    opened.push(s);
    return s;
  }

  before(async () => {
    etcd = await startEtcd();
    raw = new Etcd3({ hosts: [etcd.endpoint] });
  });

  afterEach(async () => {
    etcd?.resume();
    for (const s of opened.splice(0)) await s.close();
  });

  after(async () => {
    raw?.close();
    await etcd?.stop();
  });

  it('stores objects as JSON under <prefix>/<group>/<resource>/<namespace>/<name>, /registry by default', async () => {
    const upstream = thing('web');
    await storage().create('/nginx.example.com/upstreams/default/web', upstream);
    await storage({ prefix: '/tenant-a/' }).create('/nginx.example.com/upstreams/default/web', thing('web', { tenant: 'a' }));

    const stored = await raw.get('/registry/nginx.example.com/upstreams/default/web').string();
    assert.deepEqual(JSON.parse(stored!), upstream, 'stored as given, without a resourceVersion');
    const other = await raw.get('/tenant-a/nginx.example.com/upstreams/default/web').json();
    assert.deepEqual((other as StoredObject).spec, { tenant: 'a' });
  });

  it('compacts periodically, keeping the history of the last interval', async () => {
    const s = storage({ prefix: '/compaction', compactionIntervalMs: 300 });
    const first = await s.create('/things/default/a', thing('a'));
    const latest = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => ({ ...cur!, spec: { n: 1 } }) });

    const deadline = Date.now() + 10_000;
    let compacted = false;
    while (!compacted && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      compacted = await s
        .list('/things/', { resourceVersion: first.metadata.resourceVersion, resourceVersionMatch: 'Exact' })
        .then(() => false, (err) => (isStorageError(err, 'Expired') ? true : Promise.reject(err)));
    }
    assert.ok(compacted, 'the revision of the first write was compacted within 10 s');
    assert.deepEqual(await s.get('/things/default/a'), latest);

    const watcher = await s.watch('/things/', { recursive: true, resourceVersion: first.metadata.resourceVersion });
    const events = await collect(watcher, 1);
    assert.equal(events[0].type, 'ERROR');
    assert.equal(events[0].object.code, 410);
  });

  it('replays a watch history larger than gRPC’s default 4 MiB message', async function () {
    this.timeout(120_000);
    const s = storage({ prefix: '/large' });
    const start = await s.currentRevision();
    const padding = 'x'.repeat(6 * 1024);
    for (let batch = 0; batch < 1000; batch += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => s.create(`/things/default/item-${batch + i}`, thing(`item-${batch + i}`, { padding }))));
    }
    const watcher = await s.watch('/things/', { recursive: true, resourceVersion: start });
    const events = await collect(watcher, 1000);
    assert.equal(events.length, 1000);
    assert.ok(events.every((e) => e.type === 'ADDED'));
    assert.equal((await s.list('/things/')).items.length, 1000);
  });

  it('answers healthCheck with Unavailable within its deadline while etcd is frozen, and recovers', async () => {
    const s = storage();
    await s.healthCheck();
    etcd.pause();
    const started = Date.now();
    await assert.rejects(s.healthCheck(), (err) => isStorageError(err, 'Unavailable'));
    assert.ok(Date.now() - started < 10_000, 'healthCheck does not wait for the request timeout');
    etcd.resume();
    await s.healthCheck();
  });

  it('refuses to create an object that already carries a resourceVersion', async () => {
    const s = storage();
    const obj = thing('a');
    obj.metadata.resourceVersion = '12';
    await assert.rejects(s.create('/things/default/a', obj), (err) => isStorageError(err, 'InvalidArgument'));
  });
});

function thing(name: string, spec: Record<string, unknown> = {}): StoredObject {
  return { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name, namespace: 'default', uid: `uid-${name}` }, spec };
}

/** The first `count` events, failing when they do not come within 30 s. */
async function collect(watcher: AsyncIterable<WatchEvent> & { stop(): void }, count: number): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  const timer = setTimeout(() => watcher.stop(), 30_000);
  try {
    for await (const event of watcher) {
      events.push(event);
      if (events.length === count) break;
    }
  } finally {
    clearTimeout(timer);
    watcher.stop();
  }
  assert.equal(events.length, count, `expected ${count} events before the watch ended`);
  return events;
}
