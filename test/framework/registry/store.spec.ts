/**
 * The registry Store's metadata rules over the real SQLite backend: generation,
 * status subresource, optimistic concurrency, finalizers and graceful deletion,
 * preconditions, dry-run, generateName, deletecollection and selectors.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createStorageFactory,
  INTERNAL_VERSION,
  newRequestContext,
  parseLabelSelector,
  Scheme,
  Store,
  type StorageFactory,
  type StoredObject,
} from '../../../src/index';
import type { ManagedFieldsTracker } from '../../../src/framework/registry/store';
import { Widget, WidgetV1 } from '../../e2e/widgets.fixture';

const HUB = { group: 'e2e.example.com', version: INTERNAL_VERSION, kind: 'Widget' };

describe('registry/Store', () => {
  let dir: string;
  let factory: StorageFactory;
  let scheme: Scheme;
  let store: Store<Widget>;
  const ctx = (dryRun = false) => newRequestContext({ namespace: 'default', dryRun });

  function widget(name: string, init: Partial<{ size: number; labels: Record<string, string>; finalizers: string[]; generateName: string; status: object }> = {}): Widget {
    return scheme.fromPlain({
      apiVersion: 'e2e.example.com/v1',
      kind: 'Widget',
      metadata: { name: name || undefined, generateName: init.generateName, labels: init.labels, finalizers: init.finalizers },
      spec: { size: init.size ?? 1 },
      status: init.status,
    }) as Widget;
  }
  const toHub = (obj: Widget) => scheme.convert(obj, HUB) as Widget;
  const create = (obj: Widget, dryRun = false) => store.create(ctx(dryRun), toHub(obj));

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'store-spec-'));
    factory = createStorageFactory({ backend: 'sqlite', dataDir: dir });
    scheme = new Scheme().addKnownTypes(Widget, WidgetV1);
    const resource = scheme.resourceInfo({ group: 'e2e.example.com', version: 'v1', resource: 'widgets' });
    store = new Store<Widget>({ scheme, resource: resource!, storage: factory.forResource({ group: 'e2e.example.com', resource: 'widgets' }) });
  });
  afterEach(async () => {
    await factory.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets uid, creationTimestamp, generation and resourceVersion on create, and drops status', async () => {
    const stored = await create(widget('a', { status: { phase: 'Ready' } }));
    assert.match(stored.metadata.uid as string, /^[0-9a-f-]{36}$/);
    assert.match(stored.metadata.creationTimestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(stored.metadata.generation, 1);
    assert.ok(Number(stored.metadata.resourceVersion) > 0);
    assert.equal(stored.status, undefined, 'status is written only through /status');
  });

  it('bumps generation on spec changes only, and keeps status on main-resource updates', async () => {
    await create(widget('a'));
    const withStatus = await store.update(ctx(), 'a', { subresource: 'status', objInfo: (cur) => Object.assign(cur!, { status: { phase: 'Ready' } }) });
    assert.equal(withStatus.object.metadata.generation, 1);
    assert.deepEqual(withStatus.object.status, { phase: 'Ready' });

    const labelled = await store.update(ctx(), 'a', { objInfo: (cur) => { cur!.metadata.labels = { x: 'y' }; return cur!; } });
    assert.equal(labelled.object.metadata.generation, 1);
    const resized = await store.update(ctx(), 'a', {
      objInfo: (cur) => {
        cur!.spec!.size = 9;
        (cur as { status?: unknown }).status = { phase: 'Ignored' };
        return cur!;
      },
    });
    assert.equal(resized.object.metadata.generation, 2);
    assert.deepEqual(resized.object.status, { phase: 'Ready' }, 'the main resource cannot change status');
  });

  it('writes nothing for an update that changes nothing', async () => {
    const created = await create(widget('a'));
    const same = await store.update(ctx(), 'a', { objInfo: (cur) => cur! });
    assert.equal(same.object.metadata.resourceVersion, created.metadata.resourceVersion);
  });

  it('refuses a stale resourceVersion with 409 Conflict', async () => {
    const created = await create(widget('a'));
    await store.update(ctx(), 'a', { objInfo: (cur) => { cur!.spec!.size = 2; return cur!; } });
    await assert.rejects(
      store.update(ctx(), 'a', { objInfo: (cur) => { cur!.metadata.resourceVersion = created.metadata.resourceVersion; cur!.spec!.size = 3; return cur!; } }),
      (err: { code: number; message: string }) => err.code === 409 && /the object has been modified/.test(err.message),
    );
  });

  it('keeps an object with finalizers until they are removed, then deletes it', async () => {
    await create(widget('held', { finalizers: ['example.com/hold'] }));
    const first = await store.delete(ctx(), 'held');
    assert.equal(first.deleted, false);
    assert.ok(first.object.metadata.deletionTimestamp);
    await assert.rejects(
      store.update(ctx(), 'held', { objInfo: (cur) => { cur!.metadata.finalizers = ['example.com/hold', 'example.com/new']; return cur!; } }),
      (err: { code: number; message: string }) => err.code === 422 && /no new finalizers can be added/.test(err.message),
    );
    await store.update(ctx(), 'held', { objInfo: (cur) => { cur!.metadata.finalizers = []; return cur!; } });
    await assert.rejects(store.get(ctx(), 'held'), (err: { code: number }) => err.code === 404);
  });

  it('honours delete preconditions', async () => {
    const created = await create(widget('a'));
    await assert.rejects(store.delete(ctx(), 'a', { preconditions: { uid: 'other' } }), /the UID in the precondition \(other\) does not match the UID in record/);
    await assert.rejects(store.delete(ctx(), 'a', { preconditions: { resourceVersion: '1' } }), /the ResourceVersion in the precondition \(1\) does not match the ResourceVersion in record/);
    const deleted = await store.delete(ctx(), 'a', { preconditions: { uid: created.metadata.uid } });
    assert.equal(deleted.deleted, true);
  });

  it('validates and answers but persists nothing with dryRun', async () => {
    const answered = await create(widget('dry'), true);
    assert.equal(answered.metadata.name, 'dry');
    await assert.rejects(store.get(ctx(), 'dry'), (err: { code: number }) => err.code === 404);
    const kept = await create(widget('kept'));
    const dryUpdate = await store.update(ctx(true), 'kept', { objInfo: (cur) => { cur!.spec!.size = 5; return cur!; } });
    assert.equal(dryUpdate.object.metadata.resourceVersion, kept.metadata.resourceVersion, 'a dry-run update keeps the current resourceVersion');
    assert.equal(dryUpdate.object.metadata.generation, 2);
    await store.delete(ctx(true), 'kept');
    assert.deepEqual((await store.get(ctx(), 'kept') as StoredObject & { spec: { size: number } }).spec.size, 1);
  });

  it('generates names from generateName', async () => {
    const a = await create(widget('', { generateName: 'gen-' }));
    const b = await create(widget('', { generateName: 'gen-' }));
    assert.match(a.metadata.name as string, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
  });

  it('refuses objects without name or generateName with 422', async () => {
    await assert.rejects(create(widget('')), (err: { code: number; message: string }) => err.code === 422 && /metadata\.name: Required value: name or generateName is required/.test(err.message));
  });

  it('deletes a collection by label selector', async () => {
    await create(widget('a', { labels: { tier: 'web' } }));
    await create(widget('b', { labels: { tier: 'db' } }));
    await create(widget('c', { labels: { tier: 'web' } }));
    const deleted = await store.deleteCollection(ctx(), { labelSelector: parseLabelSelector('tier=web') });
    assert.deepEqual(deleted.map((o) => o.metadata.name).sort(), ['a', 'c']);
    assert.deepEqual((await store.list(ctx())).items.map((o) => o.metadata.name), ['b']);
  });

  describe('managedFields', () => {
    const entry = (manager: string) => ({ manager, operation: 'Update', apiVersion: 'e2e.example.com/v1', fieldsType: 'FieldsV1', fieldsV1: {} });
    /** Records what it was shown and sets one entry for `manager`. */
    function tracker(manager: string, seen: string[]): ManagedFieldsTracker<Widget> {
      return {
        track(live, obj) {
          seen.push(`${live ? 'update' : 'create'} uid=${Boolean(obj.metadata.uid)} status=${JSON.stringify(obj.status)}`);
          obj.metadata.managedFields = [entry(manager)];
          return obj;
        },
      };
    }

    it('are what the tracker of a write returns, which sees the object after the metadata rules, also through /status', async () => {
      const seen: string[] = [];
      const created = await store.create(ctx(), toHub(widget('a', { status: { phase: 'Ignored' } })), { managedFields: tracker('creator', seen) });
      assert.deepEqual(created.metadata.managedFields, [entry('creator')]);
      const updated = await store.update(ctx(), 'a', {
        objInfo: (cur) => Object.assign(cur!, { status: { phase: 'Ignored' } }),
        managedFields: tracker('updater', seen),
      });
      assert.deepEqual(updated.object.metadata.managedFields, [entry('updater')]);
      const status = await store.update(ctx(), 'a', {
        subresource: 'status',
        objInfo: (cur) => Object.assign(cur!, { status: { phase: 'Ready' } }),
        managedFields: tracker('status-writer', seen),
      });
      assert.deepEqual(status.object.metadata.managedFields, [entry('status-writer')]);
      assert.deepEqual(seen, ['create uid=true status=undefined', 'update uid=true status=undefined', 'update uid=true status={"phase":"Ready"}']);
    });

    it('may be cleared by a tracker; without one they stay as stored unless the object sets its own', async () => {
      await store.create(ctx(), toHub(widget('a')), { managedFields: tracker('creator', []) });
      const untracked = await store.update(ctx(), 'a', { objInfo: (cur) => { cur!.spec!.size = 2; delete cur!.metadata.managedFields; return cur!; } });
      assert.deepEqual(untracked.object.metadata.managedFields, [entry('creator')]);
      const cleared = await store.update(ctx(), 'a', { objInfo: (cur) => cur!, managedFields: { track: (_live, obj) => Object.assign(obj, { metadata: { ...obj.metadata, managedFields: undefined } }) } });
      assert.equal(cleared.object.metadata.managedFields, undefined);
    });
  });
});
