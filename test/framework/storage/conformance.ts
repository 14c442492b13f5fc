/**
 * The storage conformance suite: the whole StorageInterface contract, run against
 * every backend (etcd3, sqlite) and the watch cache over each. A backend's spec
 * file calls `runStorageConformance(name, target)` at top level.
 */
import assert from 'node:assert/strict';
import type {
  ListOptions,
  StorageInterface,
  StoredObject,
  WatchEvent,
  Watcher,
} from '../../../src/framework/storage/interface';
import { isStorageError, type StorageErrorCode } from '../../../src/framework/storage/errors';

export interface ConformanceTarget {
  /** A fresh, empty storage (its own prefix or database). */
  newStorage(): Promise<StorageInterface>;
  /** Optional: stop and restart the backend process (for resumption tests); storages keep working after it. */
  restartBackend?(): Promise<void>;
}

/** How long a watch may take to deliver an event before a test gives up on it. */
const EVENT_WAIT_MS = 5000;

export function runStorageConformance(name: string, target: ConformanceTarget): void {
  describe(`storage conformance: ${name}`, function () {
    this.timeout(30_000);
    const opened: StorageInterface[] = [];
    const watchers: Watcher[] = [];

    async function fresh(): Promise<StorageInterface> {
      const storage = await target.newStorage();
      opened.push(storage);
      return storage;
    }

    async function watch(storage: StorageInterface, key: string, opts: Parameters<StorageInterface['watch']>[1] = {}): Promise<EventReader> {
      const watcher = await storage.watch(key, opts);
      watchers.push(watcher);
      return new EventReader(watcher);
    }

    afterEach(async () => {
      for (const w of watchers.splice(0)) w.stop();
      for (const s of opened.splice(0)) await s.close();
    });

    describe('create and get', () => {
      it('stores an object and reads it back with a decimal resourceVersion', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a', { color: 'red' }));
        assert.match(rvOf(created), /^[1-9][0-9]*$/);
        assert.deepEqual(withoutRV(created), thing('a', { color: 'red' }));
        const read = await s.get('/things/default/a');
        assert.deepEqual(read, created);
      });

      it('refuses to create an existing key with AlreadyExists', async () => {
        const s = await fresh();
        await s.create('/things/default/a', thing('a'));
        await assertStorageError(s.create('/things/default/a', thing('a')), 'AlreadyExists');
      });

      it('throws NotFound for a missing key, or returns null when asked', async () => {
        const s = await fresh();
        await assertStorageError(s.get('/things/default/missing'), 'NotFound');
        assert.equal(await s.get('/things/default/missing', { ignoreNotFound: true }), null);
      });

      it('gives every write a strictly greater revision, and currentRevision is not behind them', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        const b = await s.create('/things/default/b', thing('b'));
        const a2 = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        const b2 = await s.delete('/things/default/b');
        const revisions = [a, b, a2, b2].map(rvNum);
        assert.deepEqual(revisions, [...revisions].sort((x, y) => x - y));
        assert.equal(new Set(revisions).size, 4);
        assert.ok(Number(await s.currentRevision()) >= rvNum(b2));
      });

      it('serves get not older than a revision, and any state for "0"', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a'));
        const notOlder = await s.get('/things/default/a', { resourceVersion: rvOf(created) });
        assert.equal(rvOf(notOlder), rvOf(created));
        const any = await s.get('/things/default/a', { resourceVersion: '0' });
        assert.equal(any?.metadata.name, 'a');
      });

      it('refuses a get newer than the backend with TooLargeResourceVersion', async () => {
        const s = await fresh();
        await s.create('/things/default/a', thing('a'));
        const future = String(Number(await s.currentRevision()) + 1000);
        await assertStorageError(s.get('/things/default/a', { resourceVersion: future }), 'TooLargeResourceVersion');
      });

      it('refuses a malformed resourceVersion with InvalidArgument', async () => {
        const s = await fresh();
        await s.create('/things/default/a', thing('a'));
        await assertStorageError(s.get('/things/default/a', { resourceVersion: 'abc' }), 'InvalidArgument');
        await assertStorageError(s.list('/things/', { resourceVersion: '-1' }), 'InvalidArgument');
        await assertStorageError(s.watch('/things/', { recursive: true, resourceVersion: '1.5' }), 'InvalidArgument');
      });
    });

    describe('guaranteedUpdate', () => {
      it('applies tryUpdate to the current object and returns the result with a new revision', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a', { count: 1 }));
        let seen: StoredObject | null = null;
        const updated = await s.guaranteedUpdate('/things/default/a', {
          tryUpdate: (cur) => {
            seen = cur;
            return bump(cur);
          },
        });
        assert.deepEqual(seen, created);
        assert.equal(spec(updated).count, 2);
        assert.ok(rvNum(updated) > rvNum(created));
        assert.deepEqual(await s.get('/things/default/a'), updated);
      });

      it('passes a veto from tryUpdate through and writes nothing', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a'));
        const before = await s.currentRevision();
        const veto = new Error('vetoed');
        await assert.rejects(
          s.guaranteedUpdate('/things/default/a', {
            tryUpdate: () => {
              throw veto;
            },
          }),
          (err) => err === veto,
        );
        assert.deepEqual(await s.get('/things/default/a'), created);
        assert.equal(await s.currentRevision(), before);
      });

      it('writes nothing when tryUpdate returns the object unchanged', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a'));
        const before = await s.currentRevision();
        const result = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => structuredClone(cur!) });
        assert.deepEqual(result, created);
        assert.equal(await s.currentRevision(), before);
      });

      it('checks uid and resourceVersion preconditions with Conflict', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a'));
        const tryUpdate = (cur: StoredObject | null) => bump(cur);
        await assertStorageError(s.guaranteedUpdate('/things/default/a', { preconditions: { uid: 'other' }, tryUpdate }), 'Conflict');
        const stale = String(rvNum(created) - 1);
        await assertStorageError(s.guaranteedUpdate('/things/default/a', { preconditions: { resourceVersion: stale }, tryUpdate }), 'Conflict');
        assert.deepEqual(await s.get('/things/default/a'), created);
        const updated = await s.guaranteedUpdate('/things/default/a', {
          preconditions: { uid: created.metadata.uid, resourceVersion: rvOf(created) },
          tryUpdate,
        });
        assert.equal(spec(updated).count, 1);
      });

      it('throws NotFound for a missing key, or creates it from tryUpdate(null) with ignoreNotFound', async () => {
        const s = await fresh();
        await assertStorageError(s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) }), 'NotFound');
        let seen: StoredObject | null | undefined;
        const created = await s.guaranteedUpdate('/things/default/a', {
          ignoreNotFound: true,
          tryUpdate: (cur) => {
            seen = cur;
            return thing('a', { count: 7 });
          },
        });
        assert.equal(seen, null);
        assert.equal(spec(created).count, 7);
        assert.deepEqual(await s.get('/things/default/a'), created);
      });

      it('retries with a fresh read when the suggestion is stale', async () => {
        const s = await fresh();
        const stale = await s.create('/things/default/a', thing('a', { count: 0 }));
        await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        const updated = await s.guaranteedUpdate('/things/default/a', { suggestion: stale, tryUpdate: (cur) => bump(cur) });
        assert.equal(spec(updated).count, 2);
      });

      it('loses no update under concurrency: 20 incrementers x 50 increments end at exactly 1000', async function () {
        this.timeout(120_000);
        const s = await fresh();
        await s.create('/things/default/counter', thing('counter', { count: 0 }));
        const revisions: number[] = [];
        const incrementer = async () => {
          for (let i = 0; i < 50; i++) {
            const out = await s.guaranteedUpdate('/things/default/counter', { tryUpdate: (cur) => bump(cur) });
            revisions.push(rvNum(out));
          }
        };
        await Promise.all(Array.from({ length: 20 }, incrementer));
        const final = await s.get('/things/default/counter');
        assert.equal(spec(final).count, 1000);
        assert.equal(new Set(revisions).size, 1000);
      });
    });

    describe('delete', () => {
      it("returns the last state with the deletion's revision, and the key is gone", async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a', { color: 'blue' }));
        const deleted = await s.delete('/things/default/a');
        assert.deepEqual(withoutRV(deleted), withoutRV(created));
        assert.ok(rvNum(deleted) > rvNum(created));
        assert.ok(Number(await s.currentRevision()) >= rvNum(deleted));
        await assertStorageError(s.get('/things/default/a'), 'NotFound');
        const again = await s.create('/things/default/a', thing('a'));
        assert.ok(rvNum(again) > rvNum(deleted));
      });

      it('throws NotFound for a missing key', async () => {
        const s = await fresh();
        await assertStorageError(s.delete('/things/default/missing'), 'NotFound');
      });

      it('honours uid and resourceVersion preconditions', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a'));
        await assertStorageError(s.delete('/things/default/a', { preconditions: { uid: 'other' } }), 'Conflict');
        await assertStorageError(s.delete('/things/default/a', { preconditions: { resourceVersion: String(rvNum(created) - 1) } }), 'Conflict');
        assert.deepEqual(await s.get('/things/default/a'), created);
        await s.delete('/things/default/a', { preconditions: { uid: created.metadata.uid, resourceVersion: rvOf(created) } });
        assert.equal(await s.get('/things/default/a', { ignoreNotFound: true }), null);
      });

      it('keeps the object when validateDeletion vetoes', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a'));
        const veto = new Error('has finalizers');
        let seen: StoredObject | undefined;
        await assert.rejects(
          s.delete('/things/default/a', {
            validateDeletion: (cur) => {
              seen = cur;
              throw veto;
            },
          }),
          (err) => err === veto,
        );
        assert.deepEqual(seen, created);
        assert.deepEqual(await s.get('/things/default/a'), created);
      });
    });

    describe('list', () => {
      it('lists the objects below a prefix in key order at the current revision, and nothing beside it', async () => {
        const s = await fresh();
        for (const key of ['/things/ns2/b', '/things/ns1/c', '/things/ns1/a', '/thingsx/ns1/a', '/other/ns1/a']) {
          await s.create(key, thing(key.split('/')[3], {}, key.split('/')[2]));
        }
        const last = await s.create('/things/ns2/a', thing('a', {}, 'ns2'));
        const all = await s.list('/things/');
        assert.deepEqual(all.items.map(keyOf), ['ns1/a', 'ns1/c', 'ns2/a', 'ns2/b']);
        assert.ok(Number(all.resourceVersion) >= rvNum(last));
        assert.equal(all.continue, undefined);
        const ns1 = await s.list('/things/ns1/');
        assert.deepEqual(ns1.items.map(keyOf), ['ns1/a', 'ns1/c']);
        assert.equal((await s.list('/nothing/')).items.length, 0);
        assert.equal(await s.count('/things/'), 4);
        assert.equal(await s.count('/things/ns1/'), 2);
      });

      it('returns each item with the revision of its last write', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        await s.create('/things/default/b', thing('b'));
        const b2 = await s.guaranteedUpdate('/things/default/b', { tryUpdate: (cur) => bump(cur) });
        const { items } = await s.list('/things/default/');
        assert.deepEqual(items, [a, b2]);
      });

      it('applies the predicate before counting the limit', async () => {
        const s = await fresh();
        await createMany(s, 30, (i) => thing(name3(i), { n: i }, 'default', { tier: i % 3 === 0 ? 'gold' : 'plain' }));
        const predicate = (o: StoredObject) => labelsOf(o).tier === 'gold';
        const pages = await listAllPages(s, '/things/default/', { limit: 4, predicate });
        assert.deepEqual(pages.map((p) => p.items.length), [4, 4, 2]);
        const names = pages.flatMap((p) => p.items.map((o) => o.metadata.name));
        assert.deepEqual(names, Array.from({ length: 10 }, (_, i) => name3(i * 3)));
      });

      it('pages 1,000 keys as one snapshot at the first page revision while writes happen between pages', async function () {
        this.timeout(120_000);
        const s = await fresh();
        const originals = await createMany(s, 1000, (i) => thing(name3(i), { n: i }));
        const pages = await listAllPages(s, '/things/default/', { limit: 100 }, async (page) => {
          // Writes between pages: new keys ahead and behind, updates and deletes of unseen and seen keys.
          const n = page;
          await s.create(`/things/default/${name3(n * 100 + 50)}x`, thing(`${name3(n * 100 + 50)}x`));
          await s.create(`/things/default/000-new-${n}`, thing(`000-new-${n}`));
          await s.guaranteedUpdate(`/things/default/${name3(n * 100 + 150)}`, { tryUpdate: (cur) => bump(cur) });
          await s.delete(`/things/default/${name3(n * 100 + 160)}`);
          await s.delete(`/things/default/${name3(n * 100 + 10)}`);
        });
        assert.equal(pages.length, 10);
        assert.ok(pages.every((p) => p.resourceVersion === pages[0].resourceVersion));
        assert.deepEqual(pages.flatMap((p) => p.items), originals);
        assert.equal(pages[9].continue, undefined);
        for (const p of pages.slice(0, 9)) {
          if (p.remainingItemCount !== undefined) assert.ok(p.remainingItemCount > 0);
        }
      });

      it('encodes continue tokens as base64 JSON {v, rv, start}', async () => {
        const s = await fresh();
        await createMany(s, 3, (i) => thing(name3(i)));
        const first = await s.list('/things/default/', { limit: 2 });
        assert.ok(first.continue);
        const token = JSON.parse(Buffer.from(first.continue, 'base64').toString('utf8'));
        assert.equal(token.v, 'meta.k8s.io/v1');
        assert.equal(String(token.rv), first.resourceVersion);
        assert.equal(typeof token.start, 'string');
        assert.ok(token.start > name3(1) && token.start <= name3(2), `start ${JSON.stringify(token.start)} resumes after the last item`);
      });

      it('refuses a malformed continue token with InvalidArgument', async () => {
        const s = await fresh();
        await createMany(s, 3, (i) => thing(name3(i)));
        await assertStorageError(s.list('/things/default/', { limit: 2, continue: 'not a token' }), 'InvalidArgument');
        const wrongVersion = Buffer.from(JSON.stringify({ v: 'other/v9', rv: 1, start: 'a' })).toString('base64');
        await assertStorageError(s.list('/things/default/', { limit: 2, continue: wrongVersion }), 'InvalidArgument');
      });

      it('answers a continue token older than the compaction with Expired and the current revision', async () => {
        const s = await fresh();
        await createMany(s, 5, (i) => thing(name3(i)));
        const first = await s.list('/things/default/', { limit: 2 });
        for (let i = 0; i < 3; i++) await s.guaranteedUpdate(`/things/default/${name3(4)}`, { tryUpdate: (cur) => bump(cur) });
        const current = await s.currentRevision();
        await s.compact(current);
        const err = await captureStorageError(s.list('/things/default/', { limit: 2, continue: first.continue }), 'Expired');
        assert.match(err.message, /The provided continue parameter is too old to display a consistent list result/);
        assert.ok(err.currentRevision !== undefined && Number(err.currentRevision) >= Number(current));
      });

      it('lists the state at an exact revision with resourceVersionMatch=Exact, paged too', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a', { count: 0 }));
        const b = await s.create('/things/default/b', thing('b'));
        const c = await s.create('/things/default/c', thing('c'));
        const at = rvOf(c);
        await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        await s.delete('/things/default/b');
        await s.create('/things/default/aa', thing('aa'));
        const exact = await s.list('/things/default/', { resourceVersion: at, resourceVersionMatch: 'Exact' });
        assert.equal(exact.resourceVersion, at);
        assert.deepEqual(exact.items, [a, b, c]);
        const pages = await listAllPages(s, '/things/default/', { resourceVersion: at, resourceVersionMatch: 'Exact', limit: 2 });
        assert.deepEqual(pages.flatMap((p) => p.items), [a, b, c]);
        assert.ok(pages.every((p) => p.resourceVersion === at));
      });

      it('serves resourceVersion "0" and not-older-than lists', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        const notOlder = await s.list('/things/default/', { resourceVersion: rvOf(a) });
        assert.ok(Number(notOlder.resourceVersion) >= rvNum(a));
        assert.deepEqual(notOlder.items, [a]);
        const any = await s.list('/things/default/', { resourceVersion: '0' });
        assert.match(any.resourceVersion, /^[0-9]+$/);
        assert.deepEqual(any.items, [a]);
      });

      it('refuses a list newer than the backend with TooLargeResourceVersion', async () => {
        const s = await fresh();
        await s.create('/things/default/a', thing('a'));
        const future = String(Number(await s.currentRevision()) + 1000);
        await assertStorageError(s.list('/things/default/', { resourceVersion: future }), 'TooLargeResourceVersion');
        await assertStorageError(s.list('/things/default/', { resourceVersion: future, resourceVersionMatch: 'Exact' }), 'TooLargeResourceVersion');
      });

      it('answers an exact list at a compacted revision with Expired', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        for (let i = 0; i < 3; i++) await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        const current = await s.currentRevision();
        await s.compact(current);
        await assertStorageError(s.list('/things/default/', { resourceVersion: rvOf(a), resourceVersionMatch: 'Exact' }), 'Expired');
        const latest = await s.list('/things/default/');
        assert.equal(spec(latest.items[0]).count, 3);
      });
    });

    describe('watch', () => {
      it('watches one key from a revision: MODIFIED then DELETED, nothing of other keys', async () => {
        const s = await fresh();
        const created = await s.create('/things/default/a', thing('a'));
        const w = await watch(s, '/things/default/a', { resourceVersion: rvOf(created) });
        await s.create('/things/default/ab', thing('ab'));
        const updated = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        const deleted = await s.delete('/things/default/a');
        const events = await w.take(2);
        assert.deepEqual(events, [
          { type: 'MODIFIED', object: updated },
          { type: 'DELETED', object: deleted },
        ]);
        await s.create('/things/default/a', thing('a', { again: true }));
        assert.equal(spec((await w.take(1))[0].object).again, true);
      });

      it('watches every key below a prefix and nothing beside it', async () => {
        const s = await fresh();
        const start = await s.currentRevision();
        const w = await watch(s, '/things/ns1/', { recursive: true, resourceVersion: start });
        const a = await s.create('/things/ns1/a', thing('a', {}, 'ns1'));
        await s.create('/things/ns10/a', thing('a', {}, 'ns10'));
        await s.create('/things/ns2/a', thing('a', {}, 'ns2'));
        const b = await s.create('/things/ns1/b', thing('b', {}, 'ns1'));
        const a2 = await s.guaranteedUpdate('/things/ns1/a', { tryUpdate: (cur) => bump(cur) });
        const bGone = await s.delete('/things/ns1/b');
        assert.deepEqual(await w.take(4), [
          { type: 'ADDED', object: a },
          { type: 'ADDED', object: b },
          { type: 'MODIFIED', object: a2 },
          { type: 'DELETED', object: bGone },
        ]);
      });

      it('without a resourceVersion sends the current state as ADDED, then the changes', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        await s.create('/things/default/b', thing('b'));
        await s.delete('/things/default/b');
        const c = await s.create('/things/default/c', thing('c'));
        for (const resourceVersion of [undefined, '0']) {
          const w = await watch(s, '/things/default/', { recursive: true, resourceVersion });
          const initial = await w.take(2);
          assert.deepEqual(sortByName(initial), [
            { type: 'ADDED', object: a },
            { type: 'ADDED', object: c },
          ]);
        }
        const w = await watch(s, '/things/default/', { recursive: true });
        await w.take(2);
        const d = await s.create('/things/default/d', thing('d'));
        assert.deepEqual(await w.take(1), [{ type: 'ADDED', object: d }]);
      });

      it('with sendInitialEvents ends the initial state with an annotated BOOKMARK', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        const b = await s.create('/things/default/b', thing('b'));
        const w = await watch(s, '/things/default/', { recursive: true, sendInitialEvents: true, resourceVersion: rvOf(a) });
        const events = await w.take(3);
        assert.deepEqual(sortByName(events.slice(0, 2)), [
          { type: 'ADDED', object: a },
          { type: 'ADDED', object: b },
        ]);
        const bookmark = events[2];
        assert.equal(bookmark.type, 'BOOKMARK');
        assert.equal(annotationsOf(bookmark.object)['k8s.io/initial-events-end'], 'true');
        assert.ok(rvNum(bookmark.object) >= rvNum(b));
        const c = await s.create('/things/default/c', thing('c'));
        const [next] = await w.take(1, { skipBookmarks: true });
        assert.deepEqual(next, { type: 'ADDED', object: c });
        assert.ok(rvNum(c) > rvNum(bookmark.object));
      });

      it('replays the history after an older revision in order', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        const expected: WatchEvent[] = [];
        expected.push({ type: 'ADDED', object: await s.create('/things/default/b', thing('b')) });
        expected.push({ type: 'MODIFIED', object: await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) }) });
        expected.push({ type: 'DELETED', object: await s.delete('/things/default/b') });
        expected.push({ type: 'MODIFIED', object: await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) }) });
        const w = await watch(s, '/things/default/', { recursive: true, resourceVersion: rvOf(a) });
        assert.deepEqual(await w.take(4), expected);
      });

      it('turns objects leaving a filter into DELETED and entering ones into ADDED', async () => {
        const s = await fresh();
        const start = await s.currentRevision();
        const predicate = (o: StoredObject) => labelsOf(o).tier === 'gold';
        const w = await watch(s, '/things/default/', { recursive: true, resourceVersion: start, predicate });
        await s.create('/things/default/a', thing('a', {}, 'default', { tier: 'plain' }));
        const entering = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => relabel(cur, 'gold') });
        const staying = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        const leaving = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => relabel(cur, 'plain') });
        await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        await s.delete('/things/default/a');
        const marker = await s.create('/things/default/z', thing('z', {}, 'default', { tier: 'gold' }));
        const events = await w.take(4);
        assert.deepEqual(events.slice(0, 2), [
          { type: 'ADDED', object: entering },
          { type: 'MODIFIED', object: staying },
        ]);
        // Leaving the filter: the last state that matched, at the revision of the change.
        assert.equal(events[2].type, 'DELETED');
        assert.deepEqual(withoutRV(events[2].object), withoutRV(staying));
        assert.equal(rvOf(events[2].object), rvOf(leaving));
        assert.deepEqual(events[3], { type: 'ADDED', object: marker });
      });

      it('sends BOOKMARKs carrying the current revision with progressNotify', async function () {
        this.timeout(EVENT_WAIT_MS * 3);
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        const w = await watch(s, '/things/default/', { recursive: true, resourceVersion: rvOf(a), progressNotify: true });
        const b = await s.create('/things/default/b', thing('b'));
        const [added] = await w.take(1, { skipBookmarks: true });
        assert.deepEqual(added, { type: 'ADDED', object: b });
        await s.create('/elsewhere/default/c', thing('c'));
        const current = Number(await s.currentRevision());
        const [bookmark] = await w.take(1, { onlyBookmarks: true, waitMs: EVENT_WAIT_MS * 2 });
        assert.equal(bookmark.type, 'BOOKMARK');
        assert.ok(rvNum(bookmark.object) >= rvNum(b), 'a bookmark never goes back behind a sent event');
        assert.ok(rvNum(bookmark.object) <= current);
      });

      it('ends a watch from a compacted revision with one 410 Expired ERROR', async () => {
        const s = await fresh();
        const a = await s.create('/things/default/a', thing('a'));
        for (let i = 0; i < 3; i++) await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        const current = await s.currentRevision();
        await s.compact(current);
        for (const [key, recursive] of [['/things/default/', true], ['/things/default/a', false]] as const) {
          const w = await watch(s, key, { recursive, resourceVersion: rvOf(a) });
          const { events, ended } = await w.read(2);
          assert.equal(events.length, 1);
          assert.equal(events[0].type, 'ERROR');
          assert.equal(events[0].object.kind, 'Status');
          assert.equal(events[0].object.code, 410);
          assert.equal(events[0].object.reason, 'Expired');
          assert.ok(ended);
        }
        const w = await watch(s, '/things/default/', { recursive: true, resourceVersion: current });
        const next = await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        assert.deepEqual(await w.take(1), [{ type: 'MODIFIED', object: next }]);
      });

      it('finishes iteration when stopped', async () => {
        const s = await fresh();
        const w = await watch(s, '/things/default/', { recursive: true, resourceVersion: await s.currentRevision() });
        const pending = w.read(1, EVENT_WAIT_MS);
        w.watcher.stop();
        w.watcher.stop();
        const { events, ended } = await pending;
        assert.deepEqual(events, []);
        assert.ok(ended);
      });

      it('delivers 10,000 writes with no gap and no duplicate', async function () {
        this.timeout(180_000);
        const s = await fresh();
        const start = await s.currentRevision();
        const w = await watch(s, '/things/', { recursive: true, resourceVersion: start });
        const written: number[] = [];
        const collecting = w.take(10_000, { waitMs: 60_000 });
        await inParallel(100, 32, async (i) => {
          written.push(rvNum(await s.create(`/things/default/${name3(i)}`, thing(name3(i)))));
        });
        await inParallel(9_900, 32, async (i) => {
          const key = `/things/default/${name3(i % 100)}`;
          written.push(rvNum(await s.guaranteedUpdate(key, { tryUpdate: (cur) => bump(cur) })));
        });
        const events = await collecting;
        const seen = events.map((e) => rvNum(e.object));
        assert.deepEqual(seen, [...written].sort((x, y) => x - y));
        assert.deepEqual(events.slice(0, 100).map((e) => e.type), Array(100).fill('ADDED'));
        assert.ok(events.slice(100).every((e) => e.type === 'MODIFIED'));
        const sentinel = await s.create('/things/default/sentinel', thing('sentinel'));
        assert.deepEqual(await w.take(1), [{ type: 'ADDED', object: sentinel }]);
      });

      const restartBackend = target.restartBackend?.bind(target);
      if (restartBackend) it('resumes from the last seen revision after the backend restarts', async function () {
        this.timeout(120_000);
        const s = await fresh();
        const first = await s.create('/things/default/a', thing('a', { count: 0 }));
        const w = await watch(s, '/things/default/', { recursive: true, resourceVersion: rvOf(first) });
        for (let i = 0; i < 5; i++) await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        const before = await w.take(5);
        const lastSeen = rvOf(before[4].object);

        await restartBackend();
        await waitHealthy(s);
        const after: WatchEvent[] = [];
        for (let i = 0; i < 5; i++) {
          after.push({ type: 'MODIFIED', object: await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) }) });
        }
        assert.equal(spec(after[4].object).count, 10);

        const resumed = await watch(s, '/things/default/', { recursive: true, resourceVersion: lastSeen });
        assert.deepEqual(await resumed.take(5), after);
        // The watch that lived through the restart either ended or went on without a gap.
        const { events, ended } = await w.read(5, EVENT_WAIT_MS);
        assert.deepEqual(events, after.slice(0, events.length));
        assert.ok(ended || events.length === 5, 'a watch that outlives a restart must not stall');
      });
    });

    describe('compaction and health', () => {
      it('keeps the latest state readable after compaction', async () => {
        const s = await fresh();
        await s.create('/things/default/a', thing('a'));
        await s.create('/things/default/b', thing('b'));
        for (let i = 0; i < 3; i++) await s.guaranteedUpdate('/things/default/a', { tryUpdate: (cur) => bump(cur) });
        await s.delete('/things/default/b');
        const before = await s.list('/things/default/');
        await s.compact(await s.currentRevision());
        assert.deepEqual((await s.list('/things/default/')).items, before.items);
        assert.equal(spec(await s.get('/things/default/a')).count, 3);
        const next = await s.create('/things/default/c', thing('c'));
        assert.ok(rvNum(next) > Number(before.resourceVersion));
      });

      it('answers healthCheck', async () => {
        const s = await fresh();
        await s.healthCheck();
      });
    });
  });
}

/** Reads events from a watcher across calls, with a deadline per call. */
class EventReader {
  private readonly iterator: AsyncIterator<WatchEvent>;
  private pending: Promise<IteratorResult<WatchEvent>> | undefined;
  private ended = false;

  constructor(readonly watcher: Watcher) {
    this.iterator = watcher[Symbol.asyncIterator]();
  }

  /** Up to `count` events, stopping early when the watch ends or `waitMs` passes without an event. */
  async read(count: number, waitMs = EVENT_WAIT_MS): Promise<{ events: WatchEvent[]; ended: boolean }> {
    const events: WatchEvent[] = [];
    while (events.length < count && !this.ended) {
      this.pending ??= this.iterator.next();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), waitMs);
      });
      const result = await Promise.race([this.pending, timeout]);
      clearTimeout(timer);
      if (result === 'timeout') break;
      this.pending = undefined;
      if (result.done) this.ended = true;
      else events.push(result.value);
    }
    return { events, ended: this.ended };
  }

  /** Exactly `count` events (optionally skipping or keeping only bookmarks), or fails. */
  async take(count: number, opts: { skipBookmarks?: boolean; onlyBookmarks?: boolean; waitMs?: number } = {}): Promise<WatchEvent[]> {
    const kept: WatchEvent[] = [];
    while (kept.length < count) {
      const { events, ended } = await this.read(1, opts.waitMs ?? EVENT_WAIT_MS);
      if (events.length === 0) {
        assert.fail(`expected ${count} events, got ${kept.length} before the watch ${ended ? 'ended' : 'went quiet'}: ${JSON.stringify(kept.slice(-3))}`);
      }
      const [event] = events;
      const isBookmark = event.type === 'BOOKMARK';
      if ((opts.skipBookmarks && isBookmark) || (opts.onlyBookmarks && !isBookmark)) continue;
      kept.push(event);
    }
    return kept;
  }
}

function thing(name: string, specFields: Record<string, unknown> = {}, namespace = 'default', labels?: Record<string, string>): StoredObject {
  return {
    apiVersion: 'example.com/v1',
    kind: 'Thing',
    metadata: { name, namespace, uid: `uid-${namespace}-${name}`, ...(labels ? { labels } : {}) },
    spec: { count: 0, ...specFields },
  };
}

function bump(cur: StoredObject | null): StoredObject {
  assert.ok(cur, 'tryUpdate expected the current object');
  const next = structuredClone(cur);
  const s = next.spec as { count: number };
  s.count += 1;
  return next;
}

function relabel(cur: StoredObject | null, tier: string): StoredObject {
  assert.ok(cur);
  const next = structuredClone(cur);
  next.metadata.labels = { tier };
  return next;
}

function spec(obj: StoredObject | null | undefined): Record<string, unknown> {
  assert.ok(obj);
  return obj.spec as Record<string, unknown>;
}

function labelsOf(obj: StoredObject): Record<string, string> {
  return (obj.metadata.labels ?? {}) as Record<string, string>;
}

function annotationsOf(obj: StoredObject): Record<string, string> {
  return (obj.metadata.annotations ?? {}) as Record<string, string>;
}

function rvOf(obj: StoredObject | null | undefined): string {
  assert.ok(obj?.metadata.resourceVersion, 'object carries a resourceVersion');
  return obj.metadata.resourceVersion;
}

function rvNum(obj: StoredObject | null | undefined): number {
  return Number(rvOf(obj));
}

function withoutRV(obj: StoredObject): StoredObject {
  const copy = structuredClone(obj);
  delete copy.metadata.resourceVersion;
  return copy;
}

function keyOf(obj: StoredObject): string {
  return `${obj.metadata.namespace}/${obj.metadata.name}`;
}

function sortByName(events: WatchEvent[]): WatchEvent[] {
  return [...events].sort((x, y) => String(x.object.metadata.name).localeCompare(String(y.object.metadata.name)));
}

/** Zero-padded so key order equals numeric order. */
function name3(i: number): string {
  return `item-${String(i).padStart(4, '0')}`;
}

async function assertStorageError(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await captureStorageError(promise, code);
}

async function captureStorageError(promise: Promise<unknown>, code: StorageErrorCode) {
  try {
    await promise;
  } catch (err) {
    assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${err instanceof Error ? `${err.name}: ${(err as { code?: string }).code ?? ''} ${err.message}` : String(err)}`);
    return err;
  }
  assert.fail(`expected StorageError ${code}, but the call succeeded`);
}

async function inParallel(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Creates `/things/default/<name>` objects concurrently; returns them in key order. */
async function createMany(s: StorageInterface, count: number, make: (i: number) => StoredObject): Promise<StoredObject[]> {
  const created: StoredObject[] = new Array(count);
  await inParallel(count, 32, async (i) => {
    const obj = make(i);
    created[i] = await s.create(`/things/${obj.metadata.namespace}/${obj.metadata.name}`, obj);
  });
  return created.sort((x, y) => keyOf(x).localeCompare(keyOf(y)));
}

/** Follows continue tokens to the end; `between(pageIndex)` runs after each page that has a successor. */
async function listAllPages(
  s: StorageInterface,
  prefix: string,
  opts: ListOptions,
  between?: (page: number) => Promise<void>,
) {
  const pages = [];
  let token: string | undefined;
  do {
    const page = await s.list(prefix, token ? { ...opts, continue: token, resourceVersion: undefined, resourceVersionMatch: undefined } : opts);
    pages.push(page);
    token = page.continue;
    if (token && between) await between(pages.length - 1);
  } while (token);
  return pages;
}

async function waitHealthy(s: StorageInterface): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await s.healthCheck();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}
