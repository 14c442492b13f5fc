/**
 * Federation across releases, on a real etcd: a host serving the workloads
 * sample federates a Deployment written at apps.example.com/v1 to a current
 * member (apps.example.com), an old one (extensions.example.com/v1beta1 only)
 * and one serving neither. The old member gets the object, with its override,
 * converted — selector, the renamed historyLimit, v1's podReplacementPolicy in
 * its annotation — as kubectl there shows, and the host's status names the
 * version it was written in; the member's copy is compared in v1 (a label or
 * status of its own is not written over, a changed field is put back); a
 * template change reaches both; the third reports VersionNotServed. A plain
 * Deployment a PropagationPolicy selects is converted alike. Upgraded to a
 * release serving only apps.example.com, the old member is written at v1; the
 * third, upgraded to serve extensions.example.com, gets its copy at last.
 */
import assert from 'node:assert/strict';
import { federationGroup } from '../../src/apis/federation/group';
import { POD_REPLACEMENT_POLICY_ANNOTATION } from '../../src/apis/workloads/annotated-fields';
import { workloadsGroups } from '../../src/apis/workloads/group';
import { APPS_GROUP, EXTENSIONS_GROUP } from '../../src/apis/workloads/types';
import type { APIServerBuilder } from '../../src/index';
import { startEtcd, type EtcdProcess } from '../support/etcd';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { join, startMember, TEST_PACING, type MemberServer } from './federation-harness';
import { startTestServer, type TestServer } from './server-harness';

const V1 = 'deployments.v1.apps.example.com';
const V1BETA1 = 'deployments.v1beta1.extensions.example.com';

/** A release serving only these workloads groups. */
const serving =
  (...groups: string[]) =>
  (builder: APIServerBuilder) =>
    workloadsGroups()
      .filter((g) => groups.includes(g.name))
      .forEach((g) => builder.withGroup(g));

const TYPE_CONFIG = JSON.stringify({
  apiVersion: 'federation.example.com/v1alpha1',
  kind: 'FederatedTypeConfig',
  metadata: { name: 'deployments.apps.example.com' },
  spec: { targetType: { group: APPS_GROUP, version: 'v1', kind: 'Deployment', plural: 'deployments', scope: 'Namespaced' } },
});

const FEDERATED_DEPLOYMENT = JSON.stringify({
  apiVersion: 'types.federation.example.com/v1alpha1',
  kind: 'FederatedDeployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } },
        revisionHistoryLimit: 4,
        podReplacementPolicy: 'Failed',
      },
    },
    placement: { clusters: [{ name: 'current' }, { name: 'old' }, { name: 'bare' }] },
    // Written against the template's version, whatever version the cluster serves.
    overrides: [{ clusterName: 'old', clusterOverrides: [{ path: '/spec/revisionHistoryLimit', value: 6 }] }],
  },
});

/** A plain Deployment on the host, and the policy that places it in the old member. */
const POLICY_AND_DEPLOYMENT = [
  {
    apiVersion: 'federation.example.com/v1alpha1',
    kind: 'PropagationPolicy',
    metadata: { name: 'api', namespace: 'default' },
    spec: {
      resourceSelectors: [{ apiVersion: 'apps.example.com/v1', kind: 'Deployment', labelSelector: { matchLabels: { app: 'api' } } }],
      placement: { clusters: [{ name: 'old' }] },
    },
  },
  {
    apiVersion: 'apps.example.com/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'default', labels: { app: 'api' } },
    spec: {
      selector: { matchLabels: { app: 'api' } },
      template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx:1.27' }] } },
      revisionHistoryLimit: 2,
      podReplacementPolicy: 'TerminatingOrFailed',
    },
  },
]
  .map((o) => JSON.stringify(o))
  .join('\n---\n');

interface DeploymentJSON {
  metadata: { resourceVersion: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: Record<string, unknown>;
}

interface ClusterEntry {
  clusterName: string;
  status: string;
  message?: string;
  apiVersion?: string;
  remoteStatus?: Record<string, unknown>;
}

describe('e2e: federation to members of other releases (etcd)', function () {
  this.timeout(120_000);
  let etcd: EtcdProcess;
  let host: TestServer;
  let current: MemberServer;
  let old: MemberServer;
  let bare: MemberServer;
  const members = () => [current, old, bare];
  const onHost = (...args: string[]) => kubectl(args, { kubeconfig: host.kubeconfig });
  const on = (member: MemberServer, ...args: string[]) => kubectl(args, { kubeconfig: member.kubeconfig });
  const deploymentOn = async (member: MemberServer, resource: string) => JSON.parse(await on(member, 'get', resource, 'web', '-n', 'default', '-o', 'json')) as DeploymentJSON;
  const clusters = async () => {
    const obj = JSON.parse(await onHost('get', 'federateddeployment', 'web', '-n', 'default', '-o', 'json')) as { status?: { clusters?: ClusterEntry[] } };
    return Object.fromEntries((obj.status?.clusters ?? []).map((c) => [c.clusterName, c]));
  };
  const storedIn = (prefix: string) => ['--etcd-servers', etcd.endpoint, '--etcd-prefix', prefix];

  before(async () => {
    etcd = await startEtcd();
    current = await startMember('current', serving(APPS_GROUP), storedIn('/current'));
    old = await startMember('old', serving(EXTENSIONS_GROUP), storedIn('/old'));
    bare = await startMember('bare', serving(), storedIn('/bare'));
    host = await startTestServer(
      'sqlite',
      (builder) => {
        serving(APPS_GROUP, EXTENSIONS_GROUP)(builder);
        builder.withGroup(federationGroup({ controller: TEST_PACING }));
      },
      storedIn('/host'),
    );
    for (const member of members()) await join(host.kubeconfig, member);
    await kubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: TYPE_CONFIG });
    await onHost('wait', '--for=condition=Established', '--timeout=20s', 'federatedtypeconfig/deployments.apps.example.com');
  });
  after(async () => {
    try {
      await host?.stop();
    } finally {
      for (const member of [current, old, bare]) await member?.remove();
      await etcd?.stop();
    }
  });

  it('writes the v1 template to the old member as v1beta1, and says so; a member serving neither gets VersionNotServed', async () => {
    await kubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: FEDERATED_DEPLOYMENT });
    await eventually(async () => {
      const status = await clusters();
      assert.deepEqual([status.current?.status, status.current?.apiVersion], ['Ok', undefined]);
      assert.deepEqual([status.old?.status, status.old?.apiVersion], ['Ok', 'extensions.example.com/v1beta1']);
      assert.equal(status.bare?.status, 'VersionNotServed');
      assert.match(
        status.bare?.message ?? '',
        /^the server serves no version of Deployment that converts to apps\.example\.com\/v1 \(convertible: apps\.example\.com\/v1, apps\.example\.com\/v1beta2, extensions\.example\.com\/v1beta1; it serves none of those groups\)$/,
      );
    }, 20_000);

    const beta = await deploymentOn(old, V1BETA1);
    assert.deepEqual(beta.spec.selector, { matchLabels: { app: 'web' } });
    assert.equal(beta.spec.historyLimit, 6, "v1's revisionHistoryLimit (as the override sets it) is v1beta1's historyLimit");
    assert.equal(beta.spec.revisionHistoryLimit, undefined);
    assert.equal(beta.spec.podReplacementPolicy, undefined);
    assert.equal(beta.metadata.annotations?.[POD_REPLACEMENT_POLICY_ANNOTATION], 'Failed', 'the v1-only field kept in its annotation');
    assert.equal(beta.metadata.labels?.['federation.example.com/managed'], 'true');
    assert.match(beta.metadata.annotations?.['federation.example.com/origin'] ?? '', /^federateddeployments\.types\.federation\.example\.com\/default\/web$/);

    const v1 = await deploymentOn(current, V1);
    assert.deepEqual([v1.spec.revisionHistoryLimit, v1.spec.podReplacementPolicy, v1.spec.replicas], [4, 'Failed', 2]);
    assert.equal(v1.metadata.annotations?.[POD_REPLACEMENT_POLICY_ANNOTATION], undefined);
  });

  it("compares the old member's copy in v1: a label and status of its own stay without a rewrite, a changed field is put back", async () => {
    await on(old, 'label', V1BETA1, 'web', '-n', 'default', 'team=web-ops');
    await on(old, 'patch', V1BETA1, 'web', '-n', 'default', '--subresource=status', '--type=merge', '-p', '{"status":{"replicas":2,"readyReplicas":1}}');
    const afterStatus = (await deploymentOn(old, V1BETA1)).metadata.resourceVersion;
    await eventually(async () => assert.deepEqual((await clusters()).old?.remoteStatus, { replicas: 2, readyReplicas: 1 }), 10_000);
    const copy = await deploymentOn(old, V1BETA1);
    assert.equal(copy.metadata.labels?.team, 'web-ops', 'the copy, read as v1, still is as rendered: not written over');
    assert.equal(copy.metadata.resourceVersion, afterStatus);

    await on(old, 'patch', V1BETA1, 'web', '-n', 'default', '--type=merge', '-p', '{"spec":{"historyLimit":9}}');
    await eventually(async () => assert.equal((await deploymentOn(old, V1BETA1)).spec.historyLimit, 6), 10_000);
  });

  it('carries a change of the template to both members, each in its version', async () => {
    await onHost('patch', 'federateddeployment', 'web', '-n', 'default', '--type=merge', '-p', '{"spec":{"template":{"spec":{"replicas":3}}}}');
    await eventually(async () => {
      assert.equal((await deploymentOn(current, V1)).spec.replicas, 3);
      const beta = await deploymentOn(old, V1BETA1);
      assert.deepEqual([beta.spec.replicas, beta.spec.historyLimit], [3, 6]);
      assert.equal(beta.metadata.annotations?.[POD_REPLACEMENT_POLICY_ANNOTATION], 'Failed');
    }, 20_000);
  });

  it('converts for the old member what a PropagationPolicy selects on the host as well', async () => {
    await kubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: POLICY_AND_DEPLOYMENT });
    await eventually(async () => {
      const binding = JSON.parse(await onHost('get', 'resourcebinding', 'api-deployment', '-n', 'default', '-o', 'json')) as { status?: { clusters?: ClusterEntry[] } };
      assert.deepEqual(binding.status?.clusters?.map((c) => [c.clusterName, c.status, c.apiVersion]), [['old', 'Ok', 'extensions.example.com/v1beta1']]);
    }, 20_000);
    const copy = JSON.parse(await on(old, 'get', V1BETA1, 'api', '-n', 'default', '-o', 'json')) as DeploymentJSON;
    assert.deepEqual([copy.spec.historyLimit, copy.metadata.annotations?.[POD_REPLACEMENT_POLICY_ANNOTATION]], [2, 'TerminatingOrFailed']);
  });

  it('writes at v1 once the old member is upgraded to a release serving only apps.example.com', async () => {
    await old.stop();
    await old.start(serving(APPS_GROUP));
    await eventually(async () => {
      const status = await clusters();
      assert.deepEqual([status.old?.status, status.old?.apiVersion], ['Ok', undefined]);
    }, 20_000);
    await onHost('patch', 'federateddeployment', 'web', '-n', 'default', '--type=merge', '-p', '{"spec":{"template":{"spec":{"replicas":4}}}}');
    await eventually(async () => {
      const v1 = await deploymentOn(old, V1);
      assert.deepEqual([v1.spec.replicas, v1.spec.revisionHistoryLimit, v1.spec.podReplacementPolicy], [4, 6, 'Failed']);
      assert.equal((await clusters()).old?.status, 'Ok');
    }, 20_000);
  });

  it('writes to the member that served neither once it serves extensions.example.com', async () => {
    await bare.stop();
    await bare.start(serving(EXTENSIONS_GROUP));
    await eventually(async () => {
      const status = await clusters();
      assert.deepEqual([status.bare?.status, status.bare?.apiVersion], ['Ok', 'extensions.example.com/v1beta1']);
    }, 20_000);
    assert.equal((await deploymentOn(bare, V1BETA1)).spec.replicas, 4);
  });

  it('removes every copy before the federated object goes', async () => {
    await onHost('delete', 'federateddeployment', 'web', '-n', 'default', '--timeout=20s');
    const copies: [MemberServer, string][] = [
      [current, V1],
      [old, V1],
      [bare, V1BETA1],
    ];
    for (const [member, resource] of copies) {
      assert.match((await runKubectl(['get', resource, 'web', '-n', 'default'], { kubeconfig: member.kubeconfig })).stderr, /NotFound/);
    }
  });
});
