/**
 * The Deployment Stores of both groups over one real SQLite storage: a Store
 * per version, every one reading what another wrote; the selector immutable in
 * apps.example.com only; and a change of storage version that leaves what was
 * stored before readable, rewrites it on the next write without a new
 * generation, and keeps v1-only fields of objects stored as v1beta1.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import {
  AdmissionChain,
  createStorageFactory,
  newRequestContext,
  Scheme,
  StatusError,
  type APIGroupInfo,
  type StorageFactory,
  type StorageInterface,
  type Store,
} from '../../../src/index';
import { POD_REPLACEMENT_POLICY_ANNOTATION } from '../../../src/apis/workloads/annotated-fields';
import { install } from '../../../src/apis/workloads/install';
import { APPS_GROUP, EXTENSIONS_GROUP, type Deployment } from '../../../src/apis/workloads/types';
import { DEPLOYMENTS, installDeploymentGroup } from '../../../src/registry/workloads/install';
import { decodeToHub, deploymentManifest, V1, V1BETA1 } from '../../apis/workloads/fixtures';

interface Served {
  scheme: Scheme;
  apps: APIGroupInfo;
  extensions: APIGroupInfo;
}

describe('registry/workloads: Deployments in two groups, one storage', () => {
  let dir: string;
  let factory: StorageFactory;
  const ctx = newRequestContext({ namespace: 'default' });

  /** Both groups in a fresh Scheme over the same database, as a restarted server would have them. */
  function serve(configure: (scheme: Scheme) => void = () => undefined): Served {
    const scheme = new Scheme();
    configure(scheme);
    install(scheme);
    const storage: StorageInterface = factory.forResource(DEPLOYMENTS);
    const installCtx = { scheme, storageFor: () => storage, admission: new AdmissionChain(), logger: pino({ level: 'silent' }) };
    return { scheme, apps: installDeploymentGroup(installCtx, APPS_GROUP, storage), extensions: installDeploymentGroup(installCtx, EXTENSIONS_GROUP, storage) };
  }
  const store = (group: APIGroupInfo, version: string) => group.versionedResources[version].deployments as Store<Deployment>;

  async function rejection(write: Promise<unknown>): Promise<string> {
    try {
      await write;
    } catch (err) {
      assert.ok(err instanceof StatusError, String(err));
      return err.message;
    }
    throw new Error('the write succeeded');
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'workloads-registry-'));
    factory = createStorageFactory({ backend: 'sqlite', dataDir: dir });
  });
  afterEach(async () => {
    await factory.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves apps.example.com v1 and v1beta2 and extensions.example.com v1beta1, each with status and scale', () => {
    const { apps, extensions } = serve();
    assert.deepEqual(Object.keys(apps.versionedResources), ['v1', 'v1beta2']);
    assert.deepEqual(Object.keys(extensions.versionedResources), ['v1beta1']);
    assert.deepEqual(Object.keys(apps.versionedResources.v1).sort(), ['deployments', 'deployments/scale', 'deployments/status']);
    assert.equal(store(apps, 'v1').keyRoot, store(extensions, 'v1beta1').keyRoot);
    assert.deepEqual(store(extensions, 'v1beta1').groupResource, { group: EXTENSIONS_GROUP, resource: 'deployments' }, 'errors name the group written to');
  });

  it('stores what any group wrote in apps.example.com/v1 and reads it through every other', async () => {
    const { scheme, apps, extensions } = serve();
    const created = await store(extensions, 'v1beta1').create(ctx, decodeToHub(scheme, deploymentManifest(V1BETA1, { historyLimit: 3 })));
    assert.equal(created.apiVersion, V1);
    assert.equal((created.spec as { revisionHistoryLimit?: number }).revisionHistoryLimit, 3);
    const viaApps = await store(apps, 'v1beta2').get(ctx, 'web');
    assert.equal(viaApps.metadata.uid, created.metadata.uid);
  });

  it('lets extensions.example.com/v1beta1 change the selector, and refuses it in apps.example.com', async () => {
    const { scheme, apps, extensions } = serve();
    await store(apps, 'v1').create(ctx, decodeToHub(scheme, deploymentManifest(V1)));
    const relabel = (apiVersion: string) => (current: Deployment | null) => {
      const next = decodeToHub(scheme, deploymentManifest(apiVersion, { selector: { matchLabels: { app: 'web', tier: 'front' } } }));
      next.spec!.template!.metadata!.labels = { app: 'web', tier: 'front' };
      next.metadata.resourceVersion = current?.metadata.resourceVersion;
      return next;
    };
    for (const version of ['v1', 'v1beta2']) {
      assert.match(await rejection(store(apps, version).update(ctx, 'web', { objInfo: relabel(V1) })), /Deployment\.apps\.example\.com "web" is invalid: spec\.selector: Invalid value: .*field is immutable/);
    }
    const { object } = await store(extensions, 'v1beta1').update(ctx, 'web', { objInfo: relabel(V1BETA1) });
    assert.deepEqual((object.spec as { selector: unknown }).selector, { matchLabels: { app: 'web', tier: 'front' } });
  });

  it('after a change of storage version reads the objects stored before, and rewrites one on its next write without a new generation', async () => {
    const before = serve();
    await store(before.apps, 'v1').create(ctx, decodeToHub(before.scheme, deploymentManifest(V1, { podReplacementPolicy: 'Failed' })));

    const after = serve((scheme) => scheme.setResourceStorageVersion({ group: APPS_GROUP, resource: 'deployments' }, V1BETA1));
    const old = await store(after.apps, 'v1').get(ctx, 'web');
    assert.equal(old.apiVersion, V1, 'still stored as written');
    assert.equal(store(after.apps, 'v1').toHub(old).spec?.podReplacementPolicy, 'Failed');

    const { object: rewritten } = await store(after.apps, 'v1').update(ctx, 'web', { objInfo: (current) => current as Deployment });
    assert.equal(rewritten.apiVersion, V1BETA1);
    assert.notEqual(rewritten.metadata.resourceVersion, old.metadata.resourceVersion, 'a rewrite is a write');
    assert.equal(rewritten.metadata.generation, 1, 'the spec did not change');
    assert.equal((rewritten.metadata.annotations as Record<string, string>)[POD_REPLACEMENT_POLICY_ANNOTATION], 'Failed');
    assert.equal(store(after.apps, 'v1').toHub(rewritten).spec?.podReplacementPolicy, 'Failed', 'nothing a v1 client wrote is lost');

    const { object: again } = await store(after.extensions, 'v1beta1').update(ctx, 'web', { objInfo: (current) => current as Deployment });
    assert.equal(again.metadata.resourceVersion, rewritten.metadata.resourceVersion, 'an object already in the storage version is not written again');
  });
});
