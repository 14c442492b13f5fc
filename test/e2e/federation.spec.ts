/**
 * federation.example.com end to end: a host and two member clusters (east and
 * west), all apiserver-kit servers in this process, joined with the example
 * script. The example FederatedTypeConfig makes the host serve FederatedUpstream;
 * the example FederatedUpstream reaches both members with west's override, as
 * kubectl on each member shows. Then: a member's status comes back to the host;
 * a cluster leaving the placement loses its copy; a member that is down while
 * the template changes catches up when it returns; deleting the federated
 * object removes every copy.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { federationGroup } from '../../src/apis/federation/group';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { EXAMPLES, join, startMember, TEST_PACING, type MemberServer } from './federation-harness';
import { startTestServer, type TestServer } from './server-harness';

describe('e2e: federation.example.com propagates to member clusters', function () {
  this.timeout(120_000);
  let host: TestServer;
  let east: MemberServer;
  let west: MemberServer;
  const onHost = (...args: string[]) => kubectl(args, { kubeconfig: host.kubeconfig });
  const on = (member: MemberServer, ...args: string[]) => kubectl(args, { kubeconfig: member.kubeconfig });
  const weights = (member: MemberServer) => on(member, 'get', 'upstream', 'web', '-n', 'default', '-o', 'jsonpath={.spec.servers[*].weight}');
  const clusterStatus = (name: string) =>
    onHost('get', 'federatedupstream', 'web', '-n', 'default', '-o', `jsonpath={.status.clusters[?(@.clusterName=="${name}")].status}`);
  const propagated = () => onHost('get', 'federatedupstream', 'web', '-n', 'default', '-o', 'jsonpath={.status.conditions[?(@.type=="Propagated")].status}');
  const absent = async (member: MemberServer) => {
    const result = await runKubectl(['get', 'upstream', 'web', '-n', 'default'], { kubeconfig: member.kubeconfig });
    assert.match(result.stderr, /NotFound/);
  };

  before(async () => {
    east = await startMember('east');
    west = await startMember('west');
    host = await startTestServer('sqlite', (builder) => builder.withGroup(federationGroup({ controller: TEST_PACING })));
  });
  after(async () => {
    try {
      await host?.stop();
    } finally {
      await east?.remove();
      await west?.remove();
    }
  });

  it('joins both members; each is Ready and lists what it serves', async () => {
    await join(host.kubeconfig, east, { region: 'east' });
    await join(host.kubeconfig, west, { region: 'west' });
    await eventually(async () => {
      const table = await onHost('get', 'memberclusters');
      assert.match(table, /^east\s+https:\/\/127\.0\.0\.1:\d+\s+True\s+ClusterReady\s+/m);
      assert.match(table, /^west\s+https:\/\/127\.0\.0\.1:\d+\s+True\s+ClusterReady\s+/m);
    }, 20_000);
    const groups = await onHost('get', 'membercluster', 'east', '-o', 'jsonpath={.status.apiGroups[?(@.name=="nginx.example.com")].versions}');
    assert.match(groups, /v1/);
  });

  it('serves FederatedUpstream once the example FederatedTypeConfig is Established', async () => {
    await onHost('apply', '-f', path.join(EXAMPLES, 'federatedtypeconfig.yaml'));
    await onHost('wait', '--for=condition=Established', 'federatedtypeconfig/upstreams.nginx.example.com', '--timeout=20s');
    const resources = await onHost('api-resources', '--api-group=types.federation.example.com', '-o', 'name');
    assert.match(resources, /^federatedupstreams\.types\.federation\.example\.com$/m);
  });

  it('propagates the example FederatedUpstream: east as templated, west with its override', async () => {
    await onHost('apply', '-f', path.join(EXAMPLES, 'federatedupstream.yaml'));
    await eventually(async () => {
      assert.equal(await weights(east), '3 1');
      assert.equal(await weights(west), '1 1');
      assert.equal(await propagated(), 'True');
    }, 20_000);
    assert.equal(await on(east, 'get', 'upstream', 'web', '-n', 'default', '-o', 'jsonpath={.metadata.labels}'), '{"app":"web","federation.example.com/managed":"true"}');
    const table = await onHost('get', 'federatedupstreams', '-n', 'default');
    assert.match(table, /^web\s+east west\s+True\s+Propagated\s+/m);
  });

  it("brings each member's status of its copy back to the host", async () => {
    await on(east, 'patch', 'upstream', 'web', '-n', 'default', '--subresource=status', '--type=merge', '-p', '{"status":{"serverCount":2}}');
    await eventually(async () => {
      const remote = await onHost('get', 'federatedupstream', 'web', '-n', 'default', '-o', 'jsonpath={.status.clusters[?(@.clusterName=="east")].remoteStatus.serverCount}');
      assert.equal(remote, '2');
    }, 10_000);
  });

  it('puts back what someone changed in a member copy', async () => {
    await on(west, 'patch', 'upstream', 'web', '-n', 'default', '--type=json', '-p', '[{"op":"replace","path":"/spec/servers/0/weight","value":9}]');
    await eventually(async () => assert.equal(await weights(west), '1 1'), 10_000);
  });

  it('deletes the copy of a cluster that leaves the placement', async () => {
    await onHost('patch', 'federatedupstream', 'web', '-n', 'default', '--type=merge', '-p', '{"spec":{"placement":{"clusters":[{"name":"east"}]}}}');
    await eventually(() => absent(west), 10_000);
    await eventually(async () => assert.equal(await onHost('get', 'federatedupstream', 'web', '-n', 'default', '-o', 'jsonpath={.status.clusters[*].clusterName}'), 'east'));
    assert.equal(await weights(east), '3 1');
  });

  it('reports ClusterNotReady while a member is down, and brings it up to date when it returns', async () => {
    await east.stop();
    await eventually(async () => assert.match(await onHost('get', 'membercluster', 'east'), /\sFalse\s+ClusterNotReachable\s/), 10_000);
    await onHost('patch', 'federatedupstream', 'web', '-n', 'default', '--type=json', '-p', '[{"op":"replace","path":"/spec/template/spec/servers/0/weight","value":5}]');
    await eventually(async () => {
      assert.equal(await clusterStatus('east'), 'ClusterNotReady');
      assert.equal(await propagated(), 'False');
    }, 10_000);
    await east.start();
    await eventually(async () => {
      assert.equal(await weights(east), '5 1');
      assert.equal(await clusterStatus('east'), 'Ok');
      assert.equal(await propagated(), 'True');
    }, 20_000);
  });

  it('removes every copy before the federated object goes', async () => {
    await onHost('delete', 'federatedupstream', 'web', '-n', 'default', '--timeout=20s');
    await absent(east);
    await absent(west);
  });
});
