/**
 * The federation controller against real member servers, for what the walk-
 * through does not show: a member that does not serve the target version, an
 * unmanaged object in the way, the immutable-field policies, a namespace made
 * on demand and a FederatedNamespace narrowing placement, a cluster selector
 * following label changes, and credentials that are missing.
 */
import assert from 'node:assert/strict';
import { federationGroup } from '../../../src/apis/federation/group';
import { Field, Hub, KubeObject, Resource, DynamicResourceClient, loadClientConfig, RESTClient, type FieldError, type UnstructuredObject } from '../../../src/index';
import { eventually } from '../../support/kubectl';
import { join, startMember, TEST_PACING, type MemberServer } from '../../e2e/federation-harness';
import { startTestServer, type TestServer } from '../../e2e/server-harness';

const PARTS = 'parts.example.com';

class SprocketSpec {
  @Field(() => String, { description: 'Which parts this sprocket drives; fixed at creation.' })
  selector?: string;

  @Field(() => Number, { type: 'integer' })
  teeth?: number;
}

@Hub({ group: PARTS, kind: 'Sprocket' })
class Sprocket extends KubeObject {
  @Field(() => SprocketSpec)
  spec?: SprocketSpec;

  validateUpdate(old: Sprocket): FieldError[] {
    return this.spec?.selector === old.spec?.selector ? [] : [{ type: 'FieldValueInvalid', field: 'spec.selector', value: this.spec?.selector, detail: 'field is immutable' }];
  }
}

@Resource({ group: PARTS, version: 'v1', kind: 'Sprocket', plural: 'sprockets', scope: 'Namespaced' })
class SprocketV1 extends Sprocket {}

const FEDERATED = (plural: string, namespaced = true) => ({ group: 'types.federation.example.com', version: 'v1alpha1', plural, namespaced });
const UPSTREAMS = { group: 'nginx.example.com', version: 'v1', plural: 'upstreams', namespaced: true };

function typeConfig(name: string, group: string, kind: string, plural: string) {
  return {
    apiVersion: 'federation.example.com/v1alpha1',
    kind: 'FederatedTypeConfig',
    metadata: { name },
    spec: { targetType: { group, version: 'v1', kind, plural, scope: 'Namespaced' } },
  };
}

function federated(kind: string, name: string, namespace: string, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'types.federation.example.com/v1alpha1', kind, metadata: { name, namespace }, spec };
}

const upstreamTemplate = { spec: { servers: [{ address: '10.0.0.1', port: 80 }] } };

describe('federation controller against member servers', function () {
  this.timeout(60_000);
  let host: TestServer;
  let alpha: MemberServer;
  let beta: MemberServer;
  let hostRest: RESTClient;
  const memberRests: RESTClient[] = [];
  const onHost = (location: { group: string; version: string; plural: string; namespaced: boolean }, namespace?: string) => {
    const client = new DynamicResourceClient(hostRest, location);
    return namespace ? client.inNamespace(namespace) : client;
  };
  const onMember = (member: MemberServer, location: { group: string; version: string; plural: string; namespaced: boolean }, namespace = 'default') => {
    const rest = new RESTClient(loadClientConfig(member.kubeconfig));
    memberRests.push(rest);
    return new DynamicResourceClient(rest, location, namespace);
  };
  /** Per cluster, the status and message a federated object reports. */
  const outcomes = async (plural: string, name: string, namespace = 'default') => {
    const obj = (await onHost(FEDERATED(plural), namespace).get(name)) as UnstructuredObject & { status?: { clusters?: { clusterName: string; status: string; message?: string }[] } };
    return Object.fromEntries((obj.status?.clusters ?? []).map((c) => [c.clusterName, `${c.status}${c.message ? `: ${c.message}` : ''}`]));
  };

  before(async () => {
    alpha = await startMember('alpha', (builder) => builder.withResource([Sprocket, SprocketV1]));
    beta = await startMember('beta');
    host = await startTestServer('sqlite', (builder) => builder.withGroup(federationGroup({ controller: TEST_PACING })));
    hostRest = new RESTClient(loadClientConfig(host.kubeconfig));
    await join(host.kubeconfig, alpha, { tier: 'edge' });
    await join(host.kubeconfig, beta);
    const configs = onHost({ group: 'federation.example.com', version: 'v1alpha1', plural: 'federatedtypeconfigs', namespaced: false });
    await configs.create(typeConfig(`sprockets.${PARTS}`, PARTS, 'Sprocket', 'sprockets'));
    await configs.create(typeConfig('upstreams.nginx.example.com', 'nginx.example.com', 'Upstream', 'upstreams'));
    await eventually(async () => {
      for (const plural of ['federatedsprockets', 'federatedupstreams']) await onHost(FEDERATED(plural), 'default').list();
    }, 10_000);
  });
  after(async () => {
    for (const rest of [hostRest, ...memberRests]) rest?.close();
    try {
      await host?.stop();
    } finally {
      await alpha?.remove();
      await beta?.remove();
    }
  });

  it('reports VersionNotServed for a member without the target, and ClusterNotReady for an unknown cluster', async () => {
    await onHost(FEDERATED('federatedsprockets'), 'default').create(
      federated('FederatedSprocket', 'gear', 'default', { template: { spec: { selector: 'a', teeth: 12 } }, placement: { clusters: [{ name: 'alpha' }, { name: 'beta' }, { name: 'nowhere' }] } }),
    );
    await eventually(async () =>
      assert.deepEqual(await outcomes('federatedsprockets', 'gear'), {
        alpha: 'Ok',
        beta: 'VersionNotServed: the cluster does not serve parts.example.com/v1',
        nowhere: 'ClusterNotReady: no MemberCluster named nowhere',
      }),
    );
    const gear = await onMember(alpha, { group: PARTS, version: 'v1', plural: 'sprockets', namespaced: true }).get('gear');
    assert.deepEqual(gear.spec, { selector: 'a', teeth: 12 });
  });

  it('reports a field a member will not change in place, and recreates the object once the type says Recreate', async () => {
    const sprockets = onMember(alpha, { group: PARTS, version: 'v1', plural: 'sprockets', namespaced: true });
    const before = await sprockets.get('gear');
    await onHost(FEDERATED('federatedsprockets'), 'default').patch('gear', { spec: { template: { spec: { selector: 'b', teeth: 12 } } } });
    await eventually(async () => assert.match((await outcomes('federatedsprockets', 'gear')).alpha, /^UpdateFailed: .*field is immutable.*immutableFieldPolicy is Report/));
    assert.equal((await sprockets.get('gear')).metadata.uid, before.metadata.uid);

    await onHost({ group: 'federation.example.com', version: 'v1alpha1', plural: 'federatedtypeconfigs', namespaced: false }).patch(`sprockets.${PARTS}`, {
      spec: { immutableFieldPolicy: 'Recreate' },
    });
    await eventually(async () => {
      const after = await sprockets.get('gear');
      assert.deepEqual(after.spec, { selector: 'b', teeth: 12 });
      assert.notEqual(after.metadata.uid, before.metadata.uid);
      assert.equal((await outcomes('federatedsprockets', 'gear')).alpha, 'Ok');
    });
  });

  it('leaves an unmanaged object of the same name alone and reports AlreadyExists, also on deletion', async () => {
    const betaUpstreams = onMember(beta, UPSTREAMS);
    await betaUpstreams.create({ apiVersion: 'nginx.example.com/v1', kind: 'Upstream', metadata: { name: 'taken' }, spec: { servers: [{ address: '10.9.9.9', port: 9 }] } });
    const federatedUpstreams = onHost(FEDERATED('federatedupstreams'), 'default');
    await federatedUpstreams.create(federated('FederatedUpstream', 'taken', 'default', { template: upstreamTemplate, placement: { clusters: [{ name: 'beta' }] } }));
    await eventually(async () => assert.match((await outcomes('federatedupstreams', 'taken')).beta, /^AlreadyExists: /));
    await federatedUpstreams.delete('taken');
    await eventually(() => assert.rejects(federatedUpstreams.get('taken'), /not found/));
    const untouched = (await betaUpstreams.get('taken')) as UnstructuredObject & { spec: { servers: { address: string }[] } };
    assert.equal(untouched.spec.servers[0].address, '10.9.9.9');
    assert.equal(untouched.metadata.labels, undefined);
  });

  it('makes the namespace a member lacks; a FederatedNamespace then narrows where its objects go', async () => {
    await onHost({ group: '', version: 'v1', plural: 'namespaces', namespaced: false }).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } });
    await onHost(FEDERATED('federatedupstreams'), 'shop').create(
      federated('FederatedUpstream', 'cart', 'shop', { template: upstreamTemplate, placement: { clusters: [{ name: 'alpha' }, { name: 'beta' }] } }),
    );
    await eventually(async () => assert.deepEqual(await outcomes('federatedupstreams', 'cart', 'shop'), { alpha: 'Ok', beta: 'Ok' }));
    const namespace = await onMember(alpha, { group: '', version: 'v1', plural: 'namespaces', namespaced: false }, '').get('shop');
    assert.equal(namespace.metadata.labels?.['federation.example.com/managed'], 'true');

    await onHost(FEDERATED('federatednamespaces'), 'shop').create(federated('FederatedNamespace', 'shop', 'shop', { placement: { clusters: [{ name: 'beta' }] } }));
    await eventually(async () => {
      assert.deepEqual(await outcomes('federatedupstreams', 'cart', 'shop'), { beta: 'Ok' });
      assert.deepEqual(await outcomes('federatednamespaces', 'shop', 'shop'), { beta: 'Ok' });
      await assert.rejects(onMember(alpha, UPSTREAMS, 'shop').get('cart'), /not found/);
    });
    const adopted = await onMember(beta, { group: '', version: 'v1', plural: 'namespaces', namespaced: false }, '').get('shop');
    assert.equal(adopted.metadata.annotations?.['federation.example.com/origin'], 'federatednamespaces.types.federation.example.com/shop/shop');
  });

  it('places by cluster labels, and follows a cluster whose labels change', async () => {
    await onHost(FEDERATED('federatedupstreams'), 'default').create(
      federated('FederatedUpstream', 'edge', 'default', { template: upstreamTemplate, placement: { clusterSelector: { matchLabels: { tier: 'edge' } } } }),
    );
    await eventually(async () => assert.deepEqual(await outcomes('federatedupstreams', 'edge'), { alpha: 'Ok' }));
    await onHost({ group: 'federation.example.com', version: 'v1alpha1', plural: 'memberclusters', namespaced: false }).patch('beta', { metadata: { labels: { tier: 'edge' } } });
    await eventually(async () => assert.deepEqual(await outcomes('federatedupstreams', 'edge'), { alpha: 'Ok', beta: 'Ok' }));
    const copy = (await onMember(beta, UPSTREAMS).get('edge')) as UnstructuredObject & { spec: { servers: { address: string }[] } };
    assert.equal(copy.spec.servers[0].address, '10.0.0.1');
  });

  it('reports a member whose ClusterCredential is missing as not ready', async () => {
    const clusters = onHost({ group: 'federation.example.com', version: 'v1alpha1', plural: 'memberclusters', namespaced: false });
    await clusters.create({ apiVersion: 'federation.example.com/v1alpha1', kind: 'MemberCluster', metadata: { name: 'ghost' }, spec: { apiEndpoint: 'https://127.0.0.1:1', secretRef: { name: 'nothing' } } });
    await eventually(async () => {
      const ghost = (await clusters.get('ghost')) as UnstructuredObject & { status?: { conditions?: { type: string; status: string; reason: string }[] } };
      assert.deepEqual(ghost.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [['Ready', 'False', 'CredentialsMissing']]);
    });
    await clusters.delete('ghost');
  });
});
