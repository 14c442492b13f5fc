import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { newInternalError } from '../../../src/framework/api/status';
import { NoneConverter, type CustomResourceConverter } from '../../../src/framework/apiextensions/conversion/converter';
import { ConvertingStorage } from '../../../src/framework/apiextensions/conversion/converting-storage';
import { Cacher } from '../../../src/framework/storage/cacher';
import type { StorageInterface, StoredObject, WatchEvent } from '../../../src/framework/storage/interface';
import { SqliteDatabase } from '../../../src/framework/storage/sqlite';

const V1 = 'toys.example.com/v1';
const V1BETA1 = 'toys.example.com/v1beta1';

/** v1 calls it `size`, v1beta1 `length`; counts its calls; fails on an object named "poison". */
class RenamingConverter implements CustomResourceConverter {
  calls = 0;
  async convert(objects: StoredObject[], apiVersion: string): Promise<StoredObject[]> {
    this.calls++;
    return objects.map((obj) => {
      if (obj.metadata.name === 'poison') throw newInternalError('conversion webhook for toys.example.com, Kind=Toy failed: poisoned');
      if (obj.apiVersion === apiVersion) return obj;
      const { size, length, ...spec } = (obj.spec ?? {}) as Record<string, unknown>;
      const value = size ?? length;
      return { ...obj, apiVersion, spec: { ...spec, ...(value === undefined ? {} : apiVersion === V1 ? { size: value } : { length: value }) } };
    });
  }
}

/** What a served version's schema does on read: here, default spec.color. */
const withDefaultColor = (obj: StoredObject): StoredObject => ({ ...obj, spec: { color: 'red', ...(obj.spec as object) } });

const toy = (name: string, apiVersion: string, spec: Record<string, unknown>): StoredObject => ({ apiVersion, kind: 'Toy', metadata: { name, namespace: 'default' }, spec });

describe('apiextensions: ConvertingStorage', () => {
  let dir: string;
  let db: SqliteDatabase;
  let base: StorageInterface;
  let converter: RenamingConverter;
  const viewOf = (servedVersion: string, storage = base) => new ConvertingStorage(storage, { converter, servedVersion, storageVersion: V1, normalize: withDefaultColor });

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'converting-storage-'));
    db = SqliteDatabase.open({ file: path.join(dir, 'state.db') });
    base = db.storage('/test');
    converter = new RenamingConverter();
  });
  afterEach(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes in the storage version and reads in the served one, normalized', async () => {
    const created = await viewOf(V1BETA1).create('/toys/default/a', toy('a', V1BETA1, { length: 3 }));
    assert.deepEqual(created.spec, { color: 'red', length: 3 });
    const stored = (await base.get('/toys/default/a')) as StoredObject;
    assert.equal(stored.apiVersion, V1);
    assert.deepEqual(stored.spec, { size: 3 });
    assert.deepEqual((await viewOf(V1).get('/toys/default/a'))?.spec, { color: 'red', size: 3 });
  });

  it('converts a list in one call', async () => {
    for (const name of ['a', 'b', 'c']) await base.create(`/toys/default/${name}`, toy(name, V1, { size: 1 }));
    converter.calls = 0;
    const { items } = await viewOf(V1BETA1).list('/toys/');
    assert.deepEqual(items.map((i) => [i.apiVersion, i.spec]), Array(3).fill([V1BETA1, { color: 'red', length: 1 }]));
    assert.equal(converter.calls, 1);
  });

  it('updates through the served version; an update that changes nothing writes nothing', async () => {
    const view = viewOf(V1BETA1);
    const created = await view.create('/toys/default/a', toy('a', V1BETA1, { length: 3 }));
    const updated = await view.guaranteedUpdate('/toys/default/a', {
      tryUpdate: (current) => ({ ...(current as StoredObject), spec: { ...(current?.spec as object), length: 4 } }),
    });
    assert.deepEqual(updated.spec, { color: 'red', length: 4 });
    assert.deepEqual(((await base.get('/toys/default/a')) as StoredObject).spec, { color: 'red', size: 4 });
    const same = await view.guaranteedUpdate('/toys/default/a', { tryUpdate: (current) => current as StoredObject });
    assert.equal(same.metadata.resourceVersion, updated.metadata.resourceVersion);
    assert.notEqual(created.metadata.resourceVersion, updated.metadata.resourceVersion);
  });

  it('deletes, showing the validation and the result in the served version', async () => {
    const view = viewOf(V1BETA1);
    await view.create('/toys/default/a', toy('a', V1BETA1, { length: 3 }));
    let seen: unknown;
    const deleted = await view.delete('/toys/default/a', { validateDeletion: (current) => void (seen = current.spec) });
    assert.deepEqual(seen, { color: 'red', length: 3 });
    assert.equal(deleted.apiVersion, V1BETA1);
  });

  it('converts watch events, and ends a watch with an ERROR event when conversion fails', async () => {
    const watcher = await viewOf(V1BETA1).watch('/toys/', { recursive: true, resourceVersion: await base.currentRevision() });
    await base.create('/toys/default/a', toy('a', V1, { size: 2 }));
    await base.create('/toys/default/poison', toy('poison', V1, { size: 2 }));
    const events: WatchEvent[] = [];
    for await (const event of watcher) events.push(event);
    assert.deepEqual(events[0], { type: 'ADDED', object: { ...toy('a', V1BETA1, { color: 'red', length: 2 }), metadata: events[0].object.metadata } });
    assert.equal(events[1].type, 'ERROR');
    assert.equal((events[1].object as unknown as { code: number }).code, 500);
    assert.match((events[1].object as unknown as { message: string }).message, /poisoned/);
    assert.equal(events.length, 2);
  });

  describe('selecting by fields of the served version', () => {
    const lengthIs = (value: number) => (obj: StoredObject) => (obj.spec as { length?: number }).length === value;
    const names = (items: StoredObject[]) => items.map((i) => i.metadata.name);

    it('lists through a webhook page by page until the limit matches, resuming where the storage left off', async () => {
      for (const [name, size] of [['a', 1], ['b', 2], ['c', 1], ['d', 2], ['e', 1]] as const) await base.create(`/toys/default/${name}`, toy(name, V1, { size }));
      const view = viewOf(V1BETA1);
      assert.deepEqual(names((await view.list('/toys/', { predicate: lengthIs(1) })).items), ['a', 'c', 'e']);
      const first = await view.list('/toys/', { predicate: lengthIs(1), limit: 2 });
      assert.deepEqual(names(first.items), ['a', 'c']);
      assert.ok(first.continue);
      await base.create('/toys/default/f', toy('f', V1, { size: 1 }));
      const second = await view.list('/toys/', { predicate: lengthIs(1), limit: 2, continue: first.continue });
      assert.deepEqual(names(second.items), ['e'], 'the rest, at the first page\'s revision');
      assert.equal(second.continue, undefined);
    });

    it('lets the storage select when the converter converts at once (None)', async () => {
      const none = new ConvertingStorage(base, { converter: new NoneConverter(), servedVersion: V1BETA1, storageVersion: V1, normalize: withDefaultColor });
      for (const [name, color] of [['a', 'blue'], ['b', undefined]] as const) await base.create(`/toys/default/${name}`, toy(name, V1, color ? { color } : {}));
      const red = (obj: StoredObject) => (obj.spec as { color?: string }).color === 'red';
      assert.deepEqual(names((await none.list('/toys/', { predicate: red, limit: 1 })).items), ['b'], 'the default of the served version counts');
    });

    it('watches through a webhook: objects entering the selection are ADDED, leaving ones DELETED with their last matching state', async () => {
      await base.create('/toys/default/a', toy('a', V1, { size: 1 }));
      await base.create('/toys/default/b', toy('b', V1, { size: 2 }));
      const watcher = await viewOf(V1BETA1).watch('/toys/', { recursive: true, resourceVersion: await base.currentRevision(), predicate: lengthIs(1) });
      const resize = (name: string, size: number) => base.guaranteedUpdate(`/toys/default/${name}`, { tryUpdate: (current) => ({ ...(current as StoredObject), spec: { size } }) });
      const left = await resize('a', 3);
      await resize('b', 1);
      await base.create('/toys/default/c', toy('c', V1, { size: 5 }));
      await base.delete('/toys/default/b');
      const events: WatchEvent[] = [];
      for await (const event of watcher) {
        events.push(event);
        if (events.length === 3) watcher.stop();
      }
      assert.deepEqual(
        events.map((e) => [e.type, e.object.metadata.name, (e.object.spec as { length: number }).length]),
        [
          ['DELETED', 'a', 1],
          ['ADDED', 'b', 1],
          ['DELETED', 'b', 1],
        ],
      );
      assert.equal(events[0].object.metadata.resourceVersion, left.metadata.resourceVersion, 'the revision of the change');
    });
  });

  it('converts each object of the watch cache once, and hands every reader the same frozen result', async () => {
    await base.create('/toys/default/a', toy('a', V1, { size: 2 }));
    const cacher = new Cacher(base, { prefix: '/toys/' });
    await cacher.start();
    try {
      const view = viewOf(V1BETA1, cacher);
      converter.calls = 0;
      const first = await view.get('/toys/default/a', { resourceVersion: '0' });
      const second = await view.get('/toys/default/a', { resourceVersion: '0' });
      assert.equal(first, second);
      assert.ok(Object.isFrozen(first));
      assert.equal(converter.calls, 1);
    } finally {
      await cacher.close();
    }
  });
});
