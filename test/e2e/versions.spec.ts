/**
 * One Deployment kind served as extensions.example.com/v1beta1,
 * apps.example.com/v1beta2 and apps.example.com/v1 from one storage on a real
 * etcd, driven with the real kubectl: each version's defaults and rules, a
 * round trip through v1beta1 that keeps what a v1 client wrote, a watch in one
 * version of writes made in another; then a change of --storage-version and
 * `apiserver-kit migrate-storage` rewriting every stored object while all of
 * them stay readable in every version.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import YAML from 'yaml';
import { POD_REPLACEMENT_POLICY_ANNOTATION } from '../../src/apis/workloads/annotated-fields';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually, KUBECTL } from '../support/kubectl';
import { KubectlSession } from '../support/kubectl-session';
import type { TestServer } from './server-harness';
import { startWorkloadsServer, storedDeploymentVersions } from './workloads-servers';

const V1 = 'deployments.v1.apps.example.com';
const V1BETA2 = 'deployments.v1beta2.apps.example.com';
const V1BETA1 = 'deployments.v1beta1.extensions.example.com';
const CLI = path.resolve(__dirname, '../../src/cli.js');

function deployment(apiVersion: string, name: string, spec: Record<string, unknown> = {}): string {
  return YAML.stringify({
    apiVersion,
    kind: 'Deployment',
    metadata: { name, labels: { example: 'versions' } },
    spec: {
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
      ...spec,
    },
  });
}

interface DeploymentJSON {
  apiVersion: string;
  metadata: { uid: string; generation: number; resourceVersion: string; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { selector?: { matchLabels?: Record<string, string> }; replicas?: number };
}

describe('e2e: one Deployment in three versions of two groups (etcd)', function () {
  this.timeout(60_000);
  let etcd: EtcdProcess;
  let server: TestServer;
  let kubectl: KubectlSession;
  const getJSON = async (resource: string, name: string) => JSON.parse(await kubectl.ok(['get', resource, name, '-o', 'json'])) as DeploymentJSON;

  before(async () => {
    etcd = await startEtcd();
    server = await startWorkloadsServer(etcd);
    kubectl = new KubectlSession(KUBECTL, server.kubeconfig);
  });
  after(async () => {
    kubectl?.close();
    await server?.stop();
    await etcd?.stop();
  });

  it('lists the kind in both groups, apps.example.com/v1 preferred', async () => {
    const resources = await kubectl.ok(['api-resources', '--api-group=apps.example.com']);
    assert.match(resources, /^deployments\s+deploy\s+apps\.example\.com\/v1\s+true\s+Deployment$/m);
    assert.match(await kubectl.ok(['api-versions']), /^apps\.example\.com\/v1\napps\.example\.com\/v1beta2\n(.|\n)*extensions\.example\.com\/v1beta1$/m);
  });

  it('a v1beta1 Deployment gets its selector from the template, keeps historyLimit as revisionHistoryLimit, and is stored as apps.example.com/v1', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: deployment('extensions.example.com/v1beta1', 'legacy', { historyLimit: 3 }) });
    const v1 = await getJSON(V1, 'legacy');
    assert.deepEqual(v1.spec.selector, { matchLabels: { app: 'legacy' } });
    assert.equal(v1.spec.revisionHistoryLimit, 3);
    assert.equal(v1.spec.historyLimit, undefined);
    assert.equal((await getJSON(V1BETA2, 'legacy')).metadata.uid, v1.metadata.uid);
    assert.equal((await storedDeploymentVersions(etcd.endpoint))['default/legacy'], 'apps.example.com/v1');
  });

  it('keeps what a v1 client wrote when a v1beta1 client replaces and patches the object', async () => {
    await kubectl.ok(['apply', '-f', '-'], { input: deployment('apps.example.com/v1', 'modern', { selector: { matchLabels: { app: 'modern' } }, podReplacementPolicy: 'Failed' }) });
    const beta = await getJSON(V1BETA1, 'modern');
    assert.equal(beta.metadata.annotations?.[POD_REPLACEMENT_POLICY_ANNOTATION], 'Failed');
    assert.equal(beta.spec.podReplacementPolicy, undefined);

    beta.spec.replicas = 4;
    await kubectl.ok(['replace', '-f', '-'], { input: JSON.stringify(beta) });
    await kubectl.ok(['patch', V1BETA1, 'modern', '--type=merge', '-p', '{"spec":{"paused":true}}']);

    const v1 = await getJSON(V1, 'modern');
    assert.deepEqual({ policy: v1.spec.podReplacementPolicy, replicas: v1.spec.replicas, paused: v1.spec.paused }, { policy: 'Failed', replicas: 4, paused: true });
    assert.equal(v1.metadata.annotations?.[POD_REPLACEMENT_POLICY_ANNOTATION], undefined, 'a v1 client sees the field, not the annotation');
  });

  it('requires and freezes the selector in apps.example.com, while extensions.example.com/v1beta1 may change it', async () => {
    const missing = await kubectl.fails(['create', '-f', '-'], { input: deployment('apps.example.com/v1', 'selectorless') });
    assert.match(missing.stderr, /Deployment "selectorless" is invalid: spec\.selector: Required value/);

    const relabel = JSON.stringify({ spec: { selector: { matchLabels: { app: 'legacy', tier: 'front' } }, template: { metadata: { labels: { app: 'legacy', tier: 'front' } } } } });
    for (const resource of [V1, V1BETA2]) {
      const refused = await kubectl.fails(['patch', resource, 'legacy', '--type=merge', '-p', relabel]);
      assert.match(refused.stderr, /spec\.selector: Invalid value: .*: field is immutable/);
    }
    await kubectl.ok(['patch', V1BETA1, 'legacy', '--type=merge', '-p', relabel]);
    assert.deepEqual((await getJSON(V1, 'legacy')).spec.selector, { matchLabels: { app: 'legacy', tier: 'front' } });
  });

  it('a watch in v1beta1 sees writes made in v1, converted (historyLimit for revisionHistoryLimit)', async () => {
    const watch = kubectl.start(['get', V1BETA1, 'modern', '-w', '-o', 'custom-columns=NAME:.metadata.name,HISTORY:.spec.historyLimit', '--no-headers']);
    try {
      await eventually(() => assert.match(watch.output(), /^modern\s+10$/m), 15_000);
      await kubectl.ok(['patch', V1, 'modern', '--type=merge', '-p', '{"spec":{"revisionHistoryLimit":2}}']);
      await eventually(() => assert.match(watch.output(), /^modern\s+2$/m), 15_000);
    } finally {
      watch.stop();
    }
  });
});

/** Runs `apiserver-kit migrate-storage` as a user does: its own process (group), output captured. */
function runMigrateStorage(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'migrate-storage', ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('e2e: --storage-version and migrate-storage (etcd)', function () {
  this.timeout(90_000);
  const COUNT = 24;
  let etcd: EtcdProcess;
  let server: TestServer | undefined;

  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    await server?.stop();
    await etcd?.stop();
  });

  it('rewrites every stored object in the new storage version, each readable in every version throughout, generations unchanged', async () => {
    server = await startWorkloadsServer(etcd);
    let kubectl = new KubectlSession(KUBECTL, server.kubeconfig);
    const versions = ['apps.example.com/v1', 'apps.example.com/v1beta2', 'extensions.example.com/v1beta1'];
    const manifests = Array.from({ length: COUNT }, (_, i) => {
      const apiVersion = versions[i % versions.length];
      const spec: Record<string, unknown> = apiVersion === 'extensions.example.com/v1beta1' ? {} : { selector: { matchLabels: { app: `d${i}` } } };
      if (apiVersion === 'apps.example.com/v1') spec.podReplacementPolicy = 'Failed';
      return deployment(apiVersion, `d${i}`, spec);
    });
    await kubectl.ok(['create', '-f', '-'], { input: manifests.join('---\n') });
    kubectl.close();
    await server.stop();
    const before = await storedDeploymentVersions(etcd.endpoint);
    assert.deepEqual(new Set(Object.values(before)), new Set(['apps.example.com/v1']));

    server = await startWorkloadsServer(etcd, ['--storage-version', 'deployments.apps.example.com=extensions.example.com/v1beta1']);
    kubectl = new KubectlSession(KUBECTL, server.kubeconfig);
    try {
      const generations = JSON.parse(await kubectl.ok(['get', V1, '-o', 'json'])) as { items: DeploymentJSON[] };
      assert.equal(generations.items.length, COUNT, 'objects stored before the change are listed');
      await kubectl.ok(['create', '-f', '-'], { input: deployment('apps.example.com/v1', 'after', { selector: { matchLabels: { app: 'after' } } }) });
      assert.equal((await storedDeploymentVersions(etcd.endpoint))['default/after'], 'extensions.example.com/v1beta1', 'new writes use the new version');

      // Read through every version while the migration runs.
      let reads = 0;
      let migrating = true;
      const reader = (async () => {
        while (migrating) {
          for (const resource of [V1, V1BETA2, V1BETA1]) {
            const list = JSON.parse(await kubectl.ok(['get', resource, '-o', 'json'])) as { items: unknown[] };
            assert.equal(list.items.length, COUNT + 1);
            reads++;
          }
        }
      })();
      const migration = await runMigrateStorage(['--kubeconfig', server.kubeconfig, '--page-size', '5', 'deployments.apps.example.com']).finally(() => {
        migrating = false;
      });
      await reader;
      assert.equal(migration.code, 0, migration.stderr);
      assert.ok(reads > 0);
      // Keys are listed in order: default/after (already stored anew) comes first.
      assert.match(migration.stderr, /^deployments\.apps\.example\.com: 5 of 25 objects through apps\.example\.com\/v1 \(4 rewritten, 1 already current\)$/m);
      assert.match(migration.stdout, /^deployments\.apps\.example\.com: 25 of 25 objects through apps\.example\.com\/v1 \(24 rewritten, 1 already current\): done$/m);

      assert.deepEqual(new Set(Object.values(await storedDeploymentVersions(etcd.endpoint))), new Set(['extensions.example.com/v1beta1']));
      const after = JSON.parse(await kubectl.ok(['get', V1, '-o', 'json'])) as { items: DeploymentJSON[] };
      for (const item of after.items) {
        const earlier = generations.items.find((g) => g.metadata.uid === item.metadata.uid);
        if (earlier) assert.equal(item.metadata.generation, earlier.metadata.generation);
      }
      assert.equal(after.items.filter((i) => i.spec.podReplacementPolicy === 'Failed').length, COUNT / versions.length, 'v1-only fields survive storage as v1beta1');

      const again = await runMigrateStorage(['--kubeconfig', server.kubeconfig, 'deployments.apps.example.com']);
      assert.match(again.stdout, /25 of 25 objects through apps\.example\.com\/v1 \(0 rewritten, 25 already current\): done/);
    } finally {
      kubectl.close();
    }
  });

  it('refuses what it cannot do, clearly', async () => {
    server ??= await startWorkloadsServer(etcd);
    const unknown = await runMigrateStorage(['--kubeconfig', server.kubeconfig, 'widgets.nowhere.example.com']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /the server does not serve the group of widgets\.nowhere\.example\.com/);
    const none = await runMigrateStorage(['--kubeconfig', server.kubeconfig]);
    assert.match(none.stderr, /name at least one resource to migrate/);
  });
});
