import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Cacher, encodeOnce, type CacherOptions } from '../../../src/framework/storage/cacher';
import type { StorageInterface, StoredObject, WatchEvent, WatchOptions, Watcher } from '../../../src/framework/storage/interface';
import { SqliteDatabase } from '../../../src/framework/storage/sqlite';

async function eventuallyTrue(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('storage/cacher', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-cacher-'));
  let tests = 0;
  let database: SqliteDatabase;
  let backend: StorageInterface;
  const cachers: Cacher[] = [];
  const watchers: Watcher[] = [];

  beforeEach(() => {
    database = SqliteDatabase.open({ file: path.join(dir, `state-${++tests}.db`) });
    backend = database.storage('/unit');
  });

  afterEach(async () => {
    for (const w of watchers.splice(0)) w.stop();
    for (const c of cachers.splice(0)) await c.close();
    await database.close();
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function cacherOver(storage: StorageInterface, options: Partial<CacherOptions> = {}): Promise<Cacher> {
    const cacher = new Cacher(storage, { prefix: '/things/', ...options });
    cachers.push(cacher);
    await cacher.start();
    return cacher;
  }

  async function watch(storage: StorageInterface, opts: WatchOptions): Promise<Watcher> {
    const w = await storage.watch('/things/', { recursive: true, ...opts });
    watchers.push(w);
    return w;
  }

  describe('watch fan-out', () => {
    it('closes a watcher that falls a buffer behind while another keeps receiving, and the closed one resumes', async () => {
      const cacher = await cacherOver(backend, { watcherBufferSize: 8 });
      const from = await backend.currentRevision();
      const slow = await watch(cacher, { resourceVersion: from });
      const fast = await watch(cacher, { resourceVersion: from });
      const fastEvents = read(fast, 40);
      const written: StoredObject[] = [];
      for (let i = 0; i < 40; i++) written.push(await cacher.create(`/things/default/t${i}`, thing(`t${i}`)));

      assert.deepEqual((await fastEvents).events.map((e) => rvOf(e.object)), written.map(rvOf));
      const closed = await read(slow, 40);
      assert.ok(closed.ended, 'the slow watcher was closed');
      assert.deepEqual(closed.events, [], 'what it had waiting was dropped with it');

      const resumed = await watch(cacher, { resourceVersion: from });
      assert.deepEqual((await read(resumed, 40)).events.map((e) => rvOf(e.object)), written.map(rvOf));
    });

    it('hands every watcher the same frozen event, so it is encoded once for all', async () => {
      const cacher = await cacherOver(backend);
      const from = await backend.currentRevision();
      const fanOut = await Promise.all(Array.from({ length: 50 }, () => watch(cacher, { resourceVersion: from })));
      const created = await cacher.create('/things/default/a', thing('a'));

      let encodings = 0;
      const lines = await Promise.all(
        fanOut.map(async (w) => {
          const [event] = (await read(w, 1)).events;
          assert.deepEqual(event, { type: 'ADDED', object: created });
          return encodeOnce(event, 'application/json', () => {
            encodings++;
            return Buffer.from(`${JSON.stringify(event)}\n`);
          });
        }),
      );
      assert.equal(encodings, 1);
      assert.ok(lines.every((line) => line === lines[0]));
    });

    it('serves a watch from a revision still in the ring from memory, and an older one from the storage', async () => {
      const cacher = await cacherOver(backend, { ringSize: 4 });
      const first = await cacher.create('/things/default/a', thing('a'));
      const updates: StoredObject[] = [];
      for (let i = 0; i < 9; i++) updates.push(await cacher.guaranteedUpdate('/things/default/a', { tryUpdate: bump }));
      await cacher.get('/things/default/a'); // the cache has seen every update

      const recent = await watch(cacher, { resourceVersion: rvOf(updates[5]) });
      const fromRing = (await read(recent, 3)).events;
      assert.deepEqual(fromRing.map((e) => e.object), updates.slice(6));
      assert.ok(fromRing.every((e) => Object.isFrozen(e)), 'served from memory');

      const old = await watch(cacher, { resourceVersion: rvOf(first) });
      const fromStorage = (await read(old, 9)).events;
      assert.deepEqual(fromStorage.map((e) => e.object), updates);
      assert.ok(!Object.isFrozen(fromStorage[0]), 'served by the storage');
    });

    it('sends periodic BOOKMARKs at the cache revision to watchers that ask for progress only', async () => {
      const cacher = await cacherOver(backend, { bookmarkIntervalMs: 20 });
      const created = await cacher.create('/things/default/a', thing('a'));
      await cacher.get('/things/default/a');
      const withProgress = await watch(cacher, { resourceVersion: rvOf(created), progressNotify: true });
      const without = await watch(cacher, { resourceVersion: rvOf(created) });
      const [bookmark] = (await read(withProgress, 1)).events;
      assert.deepEqual(bookmark, { type: 'BOOKMARK', object: { metadata: { resourceVersion: rvOf(created) } } });
      assert.deepEqual((await read(without, 1, 200)).events, []);
    });
  });

  describe('reads from memory', () => {
    it('lists the same frozen objects every time, so each item is encoded once', async () => {
      const cacher = await cacherOver(backend);
      for (const name of ['b', 'a', 'c']) await cacher.create(`/things/default/${name}`, thing(name));
      const first = await cacher.list('/things/');
      const second = await cacher.list('/things/', { resourceVersion: '0' });
      assert.deepEqual(first.items.map((o) => o.metadata.name), ['a', 'b', 'c']);
      assert.ok(first.items.every((item, i) => item === second.items[i]));
      assert.ok(Object.isFrozen(first.items[0].spec), 'frozen all the way down');
      assert.throws(() => {
        (first.items[0].metadata as Record<string, unknown>).name = 'changed';
      }, TypeError);

      let encodings = 0;
      const encode = (item: StoredObject) => encodeOnce(item, 'application/json', () => (encodings++, Buffer.from(JSON.stringify(item))));
      const body = Buffer.concat(first.items.map(encode));
      assert.deepEqual(Buffer.concat(second.items.map(encode)), body);
      assert.equal(encodings, 3);
    });

    it('ignores limit on a resourceVersion "0" list and returns every item, as kube does', async () => {
      const cacher = await cacherOver(backend);
      for (const name of ['a', 'b', 'c', 'd', 'e']) await cacher.create(`/things/default/${name}`, thing(name));
      await cacher.list('/things/'); // the cache has caught up
      const all = await cacher.list('/things/', { resourceVersion: '0', limit: 2 });
      assert.equal(all.items.length, 5);
      assert.equal(all.continue, undefined);
      const paged = await cacher.list('/things/', { limit: 2 });
      assert.equal(paged.items.length, 2);
      assert.ok(paged.continue, 'a limited quorum list pages through the storage');
    });
  });

  describe('freshness', () => {
    it('answers a quorum read from memory when the cache is current, and from the storage at once when it lags', async () => {
      const gate = new WatchGate();
      const cacher = await cacherOver(gate.wrap(backend), { freshnessTimeoutMs: 60_000 });
      const first = await cacher.create('/things/default/a', thing('a'));
      await eventuallyTrue(async () => Object.isFrozen(await cacher.get('/things/default/a')));
      assert.deepEqual(await cacher.get('/things/default/a'), first);

      gate.hold();
      const second = await backend.create('/things/default/b', thing('b'));
      const started = Date.now();
      const { items } = await cacher.list('/things/');
      assert.ok(Date.now() - started < 1000, 'not held back by the lagging cache');
      assert.deepEqual(items, [first, second]);
      assert.ok(!Object.isFrozen(items[1]), 'answered by the storage');
      gate.release();
    });

    it('lets the storage answer a quorum read when the cache does not catch up in time', async () => {
      const gate = new WatchGate();
      const cacher = await cacherOver(gate.wrap(backend), { freshnessTimeoutMs: 20 });
      gate.hold();
      const created = await backend.create('/things/default/a', thing('a'));
      assert.deepEqual((await cacher.list('/things/')).items, [created]);
      assert.deepEqual(await cacher.get('/things/default/a', { resourceVersion: rvOf(created) }), created);
      gate.release();
    });

    it('relists when its own watch cannot resume (compacted), closing its watchers', async () => {
      const gate = new WatchGate();
      const cacher = await cacherOver(gate.wrap(backend));
      const first = await cacher.create('/things/default/a', thing('a'));
      const w = await watch(cacher, { resourceVersion: rvOf(first) });
      await cacher.get('/things/default/a');

      gate.hold();
      await backend.create('/things/default/b', thing('b'));
      let latest = await backend.guaranteedUpdate('/things/default/b', { tryUpdate: bump });
      latest = await backend.guaranteedUpdate('/things/default/b', { tryUpdate: bump });
      await backend.compact(await backend.currentRevision());
      gate.interrupt();
      gate.release();

      assert.ok((await read(w, 10)).ended, 'the watcher was closed by the relist');
      await eventually(async () => {
        const cached = await cacher.get('/things/default/b', { resourceVersion: '0', ignoreNotFound: true });
        assert.deepEqual(cached, latest);
        assert.ok(Object.isFrozen(cached));
      });
    });
  });
});

/**
 * Holds back the events of every watch made through it until released (a slow
 * link between the cache and the storage); everything else goes straight through.
 */
class WatchGate {
  private open = true;
  private interrupted = false;
  private waiting: (() => void)[] = [];
  private readonly live = new Set<Watcher>();

  wrap(storage: StorageInterface): StorageInterface {
    return new Proxy(storage, {
      get: (target, property, receiver) => {
        if (property === 'watch') return (key: string, opts?: WatchOptions) => this.watch(target, key, opts);
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  hold(): void {
    this.open = false;
  }

  release(): void {
    this.open = true;
    for (const wake of this.waiting.splice(0)) wake();
  }

  /** Ends every watch that went through the gate, dropping what it held, as a broken connection would. */
  interrupt(): void {
    this.interrupted = true;
    for (const w of this.live) w.stop();
    for (const wake of this.waiting.splice(0)) wake();
    this.interrupted = false;
  }

  private async watch(storage: StorageInterface, key: string, opts?: WatchOptions): Promise<Watcher> {
    const inner = await storage.watch(key, opts);
    this.live.add(inner);
    const gate = this;
    async function* events(): AsyncGenerator<WatchEvent> {
      try {
        for await (const event of inner) {
          let cut = false;
          while (!gate.open && !cut) {
            await new Promise<void>((wake) => gate.waiting.push(wake));
            cut = gate.interrupted;
          }
          if (cut) return;
          yield event;
        }
      } finally {
        inner.stop();
        gate.live.delete(inner);
      }
    }
    const iterator = events();
    return { stop: () => inner.stop(), [Symbol.asyncIterator]: () => iterator };
  }
}

/** Up to `count` events, stopping when the watch ends or `waitMs` passes without one. */
async function read(w: Watcher, count: number, waitMs = 5000): Promise<{ events: WatchEvent[]; ended: boolean }> {
  const iterator = w[Symbol.asyncIterator]();
  const events: WatchEvent[] = [];
  while (events.length < count) {
    let timer: NodeJS.Timeout | undefined;
    const quiet = new Promise<'quiet'>((resolve) => (timer = setTimeout(() => resolve('quiet'), waitMs)));
    const next = await Promise.race([iterator.next(), quiet]);
    clearTimeout(timer);
    if (next === 'quiet') break;
    if (next.done) return { events, ended: true };
    events.push(next.value);
  }
  return { events, ended: false };
}

async function eventually(check: () => Promise<void>, waitMs = 5000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(20);
    }
  }
}

function thing(name: string): StoredObject {
  return { apiVersion: 'example.com/v1', kind: 'Thing', metadata: { name, namespace: 'default' }, spec: { count: 0 } };
}

function bump(current: StoredObject | null): StoredObject {
  assert.ok(current);
  const next = structuredClone(current);
  (next.spec as { count: number }).count += 1;
  return next;
}

function rvOf(obj: StoredObject): string {
  assert.ok(obj.metadata.resourceVersion);
  return obj.metadata.resourceVersion;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
