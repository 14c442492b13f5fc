/**
 * Seed 000's version fusion with two servers of the workloads sample: an "old"
 * one serving extensions.example.com/v1beta1 (and the core namespaces) and a
 * "new" one serving apps.example.com, driven with the real kubectl.
 *
 * First design: both share one real etcd; the new server writes Deployments in
 * the version the old one reads (as Kubernetes keeps the storage version one
 * release behind), every object written through either server is seen,
 * converted, through the other, and a watch on either sees writes made on the
 * other. The new server also serves a kubeflow-like CRD and authorizes with
 * seed 000's ABAC policy file, so its users may write the core and kubeflow.org
 * but get 403 for Deployments. A client speaking apps.example.com/v1 reaches the
 * old server through the version-adapting client.
 *
 * Second design: --etcd-servers-overrides sends the new server's Deployments to
 * a second etcd while namespaces stay shared on the first.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Scheme } from '../../src/index';
import { loadClientConfig, RESTClient, VersionAdaptingClient } from '../../src/framework/client';
import { POD_REPLACEMENT_POLICY_ANNOTATION, ROLLBACK_TO_ANNOTATION } from '../../src/apis/workloads/annotated-fields';
import { DeploymentV1 } from '../../src/apis/workloads/apps/v1/types';
import { install } from '../../src/apis/workloads/install';
import { clusterOf, writeKubeconfigFor } from '../support/credentials';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually, KUBECTL } from '../support/kubectl';
import { KubectlSession } from '../support/kubectl-session';
import { SEED_000_POLICY } from './seed-000-policy.fixture';
import type { TestServer } from './server-harness';
import { startWorkloadsServer, storedDeploymentVersions } from './workloads-servers';

/** The walk-through's manifests (examples/version-fusion): legacy-web for the old release, pipeline for the new. */
const EXAMPLE = path.resolve(__dirname, '../../../examples/version-fusion');
const OLD_GROUPS = ['--groups', 'extensions.example.com'];
const NEW_GROUPS = ['--groups', 'apps.example.com'];
/** What the old release can read: the new one writes it until the old one is gone. */
const STORE_AS_OLD = ['--storage-version', 'deployments.apps.example.com=extensions.example.com/v1beta1'];
/** Seed 000's ABAC policy for the new server's users (the admin, in system:masters, passes every check), and a kubeflow user. */
const SEED_000_AUTHORIZATION = [
  '--authorization-mode',
  'ABAC',
  '--authorization-policy-file',
  path.join(EXAMPLE, 'policy.jsonl'),
  '--token-auth-file',
  path.join(EXAMPLE, 'tokens.csv'),
];

function deploymentYAML(apiVersion: string, name: string, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion,
    kind: 'Deployment',
    metadata: { name, namespace: 'team-a' },
    spec: { template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] } }, ...spec },
  });
}

interface DeploymentJSON {
  apiVersion: string;
  metadata: { uid: string; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

describe('e2e: version fusion, two servers on one etcd (seed 000, first design)', function () {
  this.timeout(60_000);
  let etcd: EtcdProcess;
  let oldServer: TestServer;
  let newServer: TestServer;
  let oldKubectl: KubectlSession;
  let newKubectl: KubectlSession;
  let kubeflowKubectl: KubectlSession;
  const get = async (kubectl: KubectlSession, resource: string, name: string) =>
    JSON.parse(await kubectl.ok(['get', resource, name, '-n', 'team-a', '-o', 'json'])) as DeploymentJSON;

  before(async () => {
    etcd = await startEtcd();
    [oldServer, newServer] = await Promise.all([
      startWorkloadsServer(etcd, [...OLD_GROUPS, ...STORE_AS_OLD]),
      startWorkloadsServer(etcd, [...NEW_GROUPS, ...STORE_AS_OLD, ...SEED_000_AUTHORIZATION]),
    ]);
    oldKubectl = new KubectlSession(KUBECTL, oldServer.kubeconfig);
    newKubectl = new KubectlSession(KUBECTL, newServer.kubeconfig);
    const kubeconfig = writeKubeconfigFor(clusterOf(newServer.kubeconfig), path.join(newServer.dataDir, 'kubeflow.kubeconfig'), { token: 'kubeflow-token' });
    kubeflowKubectl = new KubectlSession(KUBECTL, kubeconfig);
  });
  after(async () => {
    oldKubectl?.close();
    newKubectl?.close();
    kubeflowKubectl?.close();
    await oldServer?.stop();
    await newServer?.stop();
    await etcd?.stop();
  });

  it('each server serves its own release of the API', async () => {
    const oldVersions = await oldKubectl.ok(['api-versions']);
    assert.match(oldVersions, /^extensions\.example\.com\/v1beta1$/m);
    assert.doesNotMatch(oldVersions, /apps\.example\.com/);
    const newVersions = await newKubectl.ok(['api-versions']);
    assert.match(newVersions, /^apps\.example\.com\/v1$/m);
    assert.doesNotMatch(newVersions, /extensions\.example\.com/);
    const refused = await oldKubectl.fails(['get', 'deployments.v1.apps.example.com']);
    assert.match(refused.stderr, /the server doesn't have a resource type "deployments"/);
  });

  it('shares the core: a namespace made on the old server is there on the new one', async () => {
    await oldKubectl.ok(['create', 'namespace', 'team-a']);
    await eventually(async () => assert.match(await newKubectl.ok(['get', 'namespace', 'team-a', '-o', 'name']), /^namespace\/team-a$/m));
  });

  it('what the old server writes, the new one reads as apps.example.com/v1', async () => {
    await oldKubectl.ok(['apply', '-f', path.join(EXAMPLE, 'old-deployment.yaml')]);
    const asV1 = await get(newKubectl, 'deployments.apps.example.com', 'legacy-web');
    assert.equal(asV1.apiVersion, 'apps.example.com/v1');
    assert.deepEqual(asV1.spec.selector, { matchLabels: { app: 'legacy-web' } }, 'the old release defaulted the selector');
    assert.equal(asV1.spec.revisionHistoryLimit, 4);
  });

  it('what the new server writes, the old one reads as v1beta1, and updates without losing v1-only fields', async () => {
    await newKubectl.ok(['apply', '-f', path.join(EXAMPLE, 'new-deployment.yaml')]);
    assert.equal((await storedDeploymentVersions(etcd.endpoint))['team-a/pipeline'], 'extensions.example.com/v1beta1', 'stored in the version the old release reads');
    const asBeta = await get(oldKubectl, 'deployments.extensions.example.com', 'pipeline');
    assert.equal(asBeta.apiVersion, 'extensions.example.com/v1beta1');
    assert.equal(asBeta.metadata.annotations?.[POD_REPLACEMENT_POLICY_ANNOTATION], 'Failed');
    await oldKubectl.ok(['scale', 'deployments.extensions.example.com', 'pipeline', '-n', 'team-a', '--replicas=3']);
    const back = await get(newKubectl, 'deployments.apps.example.com', 'pipeline');
    assert.deepEqual([back.spec.replicas, back.spec.podReplacementPolicy], [3, 'Failed']);
  });

  it('each release keeps its rules: the selector changes through the old API only, and a rollback request survives the new one', async () => {
    const relabel = JSON.stringify({ spec: { selector: { matchLabels: { app: 'legacy-web', tier: 'front' } }, template: { metadata: { labels: { app: 'legacy-web', tier: 'front' } } } } });
    const refused = await newKubectl.fails(['patch', 'deployments.apps.example.com', 'legacy-web', '-n', 'team-a', '--type=merge', '-p', relabel]);
    assert.match(refused.stderr, /The Deployment "legacy-web" is invalid: spec\.selector: Invalid value: \.\.\.: field is immutable/);
    await oldKubectl.ok(['patch', 'deployments.extensions.example.com', 'legacy-web', '-n', 'team-a', '--type=merge', '-p', relabel]);
    await oldKubectl.ok(['patch', 'deployments.extensions.example.com', 'legacy-web', '-n', 'team-a', '--type=merge', '-p', '{"spec":{"rollbackTo":{"revision":1}}}']);
    const asV1 = await get(newKubectl, 'deployments.apps.example.com', 'legacy-web');
    assert.deepEqual(asV1.spec.selector, { matchLabels: { app: 'legacy-web', tier: 'front' } });
    assert.equal(asV1.metadata.annotations?.[ROLLBACK_TO_ANNOTATION], '1');
  });

  it('a watch on either server sees the writes made on the other, converted', async () => {
    const onOld = oldKubectl.start(['get', 'deployments.extensions.example.com', '-n', 'team-a', '-w', '-o', 'custom-columns=NAME:.metadata.name,HISTORY:.spec.historyLimit', '--no-headers']);
    const onNew = newKubectl.start(['get', 'deployments.apps.example.com', '-n', 'team-a', '-w', '-o', 'custom-columns=NAME:.metadata.name,HISTORY:.spec.revisionHistoryLimit', '--no-headers']);
    try {
      await eventually(() => {
        assert.match(onOld.output(), /^pipeline\s+10$/m);
        assert.match(onNew.output(), /^legacy-web\s+4$/m);
      }, 15_000);
      await newKubectl.ok(['patch', 'deployments.apps.example.com', 'pipeline', '-n', 'team-a', '--type=merge', '-p', '{"spec":{"revisionHistoryLimit":7}}']);
      await oldKubectl.ok(['patch', 'deployments.extensions.example.com', 'legacy-web', '-n', 'team-a', '--type=merge', '-p', '{"spec":{"historyLimit":5}}']);
      await eventually(() => {
        assert.match(onOld.output(), /^pipeline\s+7$/m, 'the old server saw the new one write, in v1beta1 terms');
        assert.match(onNew.output(), /^legacy-web\s+5$/m, 'the new server saw the old one write, in v1 terms');
      }, 15_000);
    } finally {
      onOld.stop();
      onNew.stop();
    }
  });

  it('the new server serves kubeflow through a CRD and, under seed 000\'s ABAC policy, lets its users write only the core and the listed groups', async () => {
    assert.equal(readFileSync(path.join(EXAMPLE, 'policy.jsonl'), 'utf8').trimEnd(), SEED_000_POLICY, 'the policy file is seed 000\'s, line for line');
    await newKubectl.ok(['apply', '-f', path.join(EXAMPLE, 'tfjob-crd.yaml')]);
    await newKubectl.ok(['wait', '--for=condition=Established', '--timeout=20s', 'crd/tfjobs.kubeflow.org']);

    assert.match(await kubeflowKubectl.ok(['get', 'namespaces', '-o', 'name']), /^namespace\/team-a$/m);
    await eventually(async () => {
      await kubeflowKubectl.ok(['get', 'tfjobs', '-n', 'team-a'], { stderr: /^No resources found/ });
    });
    assert.match(await kubeflowKubectl.ok(['apply', '-f', path.join(EXAMPLE, 'tfjob.yaml')]), /tfjob\.kubeflow\.org\/mnist created/);
    assert.match(await kubeflowKubectl.ok(['get', 'tfjobs', '-n', 'team-a', '-o', 'jsonpath={.items[0].spec.runPolicy.cleanPodPolicy}']), /^Running$/, 'defaulted by the CRD schema');

    const create = await kubeflowKubectl.fails(['create', '-f', '-'], { input: deploymentYAML('apps.example.com/v1', 'blocked', { selector: { matchLabels: { app: 'blocked' } } }) });
    assert.match(
      create.stderr,
      /Error from server \(Forbidden\).*deployments\.apps\.example\.com is forbidden: User "kubeflow" cannot create resource "deployments" in API group "apps\.example\.com" in the namespace "team-a": No policy matched\./,
    );
    const list = await kubeflowKubectl.fails(['get', 'deployments.apps.example.com', '-n', 'team-a']);
    assert.match(list.stderr, /User "kubeflow" cannot list resource "deployments" in API group "apps\.example\.com" in the namespace "team-a"/);
    assert.doesNotMatch(await newKubectl.ok(['get', 'deployments.apps.example.com', '-n', 'team-a', '-o', 'name']), /blocked/, 'nothing was written');
  });

  it('a client speaking apps.example.com/v1 works against the old server through the version-adapting client', async () => {
    const rest = new RESTClient(loadClientConfig(oldServer.kubeconfig));
    try {
      const deployments = new VersionAdaptingClient(rest, install(new Scheme()), DeploymentV1).inNamespace('team-a');
      assert.deepEqual(await deployments.servedVersion(), { group: 'extensions.example.com', version: 'v1beta1', kind: 'Deployment' });
      const got = await deployments.get('pipeline');
      assert.ok(got instanceof DeploymentV1);
      assert.deepEqual([got.spec?.podReplacementPolicy, got.spec?.revisionHistoryLimit], ['Failed', 7]);
      const patched = await deployments.patch('pipeline', { spec: { revisionHistoryLimit: 2 } });
      assert.equal(patched.spec?.revisionHistoryLimit, 2);
      assert.equal((await get(oldKubectl, 'deployments.extensions.example.com', 'pipeline')).spec.historyLimit, 2);
    } finally {
      rest.close();
    }
  });
});

describe('e2e: version fusion with the new server\'s Deployments on their own etcd (seed 000, second design)', function () {
  this.timeout(60_000);
  let shared: EtcdProcess;
  let ownEtcd: EtcdProcess;
  let oldServer: TestServer;
  let newServer: TestServer;
  let oldKubectl: KubectlSession;
  let newKubectl: KubectlSession;

  before(async () => {
    [shared, ownEtcd] = await Promise.all([startEtcd(), startEtcd()]);
    [oldServer, newServer] = await Promise.all([
      startWorkloadsServer(shared, OLD_GROUPS),
      startWorkloadsServer(shared, [...NEW_GROUPS, '--etcd-servers-overrides', `apps.example.com/deployments#${ownEtcd.endpoint}`]),
    ]);
    oldKubectl = new KubectlSession(KUBECTL, oldServer.kubeconfig);
    newKubectl = new KubectlSession(KUBECTL, newServer.kubeconfig);
  });
  after(async () => {
    oldKubectl?.close();
    newKubectl?.close();
    await oldServer?.stop();
    await newServer?.stop();
    await shared?.stop();
    await ownEtcd?.stop();
  });

  it('shares namespaces on the first etcd and keeps each release\'s Deployments apart, the new ones on the second', async () => {
    await newKubectl.ok(['create', 'namespace', 'team-a']);
    await eventually(async () => assert.match(await oldKubectl.ok(['get', 'namespace', 'team-a', '-o', 'name']), /^namespace\/team-a$/m));

    await newKubectl.ok(['create', '-f', '-'], { input: deploymentYAML('apps.example.com/v1', 'new-only', { selector: { matchLabels: { app: 'new-only' } } }) });
    await oldKubectl.ok(['create', '-f', '-'], { input: deploymentYAML('extensions.example.com/v1beta1', 'old-only') });
    assert.deepEqual(await storedDeploymentVersions(ownEtcd.endpoint), { 'team-a/new-only': 'apps.example.com/v1' });
    assert.deepEqual(await storedDeploymentVersions(shared.endpoint), { 'team-a/old-only': 'apps.example.com/v1' });
    assert.match(await newKubectl.ok(['get', 'deployments.apps.example.com', '-n', 'team-a', '-o', 'name']), /^deployment\.apps\.example\.com\/new-only\n$/);
    assert.match(await oldKubectl.ok(['get', 'deployments.extensions.example.com', '-n', 'team-a', '-o', 'name']), /^deployment\.extensions\.example\.com\/old-only\n$/);
  });
});
