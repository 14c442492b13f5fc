import assert from 'node:assert/strict';
import { ObjectStore } from '../../../src/framework/storage/cacher/object-store';
import type { StoredObject } from '../../../src/framework/storage/interface';

const object = (name: string): StoredObject => ({ metadata: { name } }) as StoredObject;
const names = (items: StoredObject[]) => items.map((o) => o.metadata.name);

describe('storage/cacher ObjectStore', () => {
  it('lists exactly the keys below a prefix, in key order, beside prefixes that sort just before and after it', () => {
    const store = new ObjectStore();
    // '-' sorts before '/', and '0' just after it.
    for (const key of ['/items/default0/c', '/items/default/b', '/items/default-x/d', '/items/default/a', '/items/defaul/e', '/itemz/f']) {
      store.set(key, object(key.split('/').pop() as string));
    }
    assert.deepEqual(names(store.list('/items/default/')), ['a', 'b']);
    assert.equal(store.count('/items/default/'), 2);
    assert.deepEqual(names(store.list('/items/')), ['e', 'd', 'a', 'b', 'c']);
    assert.deepEqual(names(store.list('')), ['e', 'd', 'a', 'b', 'c', 'f']);
    assert.deepEqual(names(store.list('/items/nothing/')), []);
    assert.deepEqual(store.entriesBelow('/items/default-x/').map((e) => e.key), ['/items/default-x/d']);
  });

  it('replaces an object in place and forgets a deleted one', () => {
    const store = new ObjectStore();
    store.set('/items/a', object('a1'));
    store.set('/items/b', object('b'));
    assert.equal(store.set('/items/a', object('a2'))?.metadata.name, 'a1');
    assert.deepEqual(names(store.list('/items/')), ['a2', 'b']);
    assert.equal(store.delete('/items/a')?.metadata.name, 'a2');
    assert.deepEqual(names(store.list('/items/')), ['b']);
    assert.equal(store.size, 1);
    assert.equal(store.get('/items/a'), undefined);
  });

  it('applies the predicate to what it lists', () => {
    const store = new ObjectStore();
    for (const name of ['a', 'b', 'c']) store.set(`/items/${name}`, object(name));
    assert.deepEqual(names(store.list('/items/', (o) => o.metadata.name !== 'b')), ['a', 'c']);
  });

  it('stays in key order with exact lists and counts through thousands of inserts, replacements and deletes in random order', () => {
    const store = new ObjectStore();
    const model = new Map<string, string>();
    // A fixed pseudo-random sequence (a linear congruential generator), so a failure repeats.
    let seed = 12345;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let step = 0; step < 20_000; step++) {
      const key = `/items/ns${next(7)}/obj-${next(3000)}`;
      if (next(4) === 0) {
        assert.equal(store.delete(key)?.metadata.name, model.get(key));
        model.delete(key);
      } else {
        const name = `v${step}`;
        store.set(key, object(name));
        model.set(key, name);
      }
    }
    const sortedKeys = [...model.keys()].sort();
    assert.equal(store.size, model.size);
    assert.deepEqual(names(store.list('')), sortedKeys.map((k) => model.get(k)));
    for (const prefix of ['/items/', '/items/ns3/', '/items/ns6/obj-1', '/items/ns9/']) {
      const below = sortedKeys.filter((k) => k.startsWith(prefix));
      assert.deepEqual(store.entriesBelow(prefix).map((e) => e.key), below, prefix);
      assert.equal(store.count(prefix), below.length, prefix);
    }
  });
});
