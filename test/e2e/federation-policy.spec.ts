/**
 * Propagation by policy end to end: the host serves nginx.example.com too, and
 * the example PropagationPolicy and OverridePolicy take a plain Upstream applied
 * with kubectl to both edge members, west with more keepalive; the
 * ResourceBinding tells where it went. Changing the host object changes the
 * copies; deleting it removes them; a policy that goes lets its objects go.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { federationGroup } from '../../src/apis/federation/group';
import { nginxGroup } from '../../src/apis/nginx/group';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { EXAMPLES, join, startMember, TEST_PACING, type MemberServer } from './federation-harness';
import { startTestServer, type TestServer } from './server-harness';

describe('e2e: federation by PropagationPolicy and OverridePolicy', function () {
  this.timeout(120_000);
  let host: TestServer;
  let east: MemberServer;
  let west: MemberServer;
  const onHost = (...args: string[]) => kubectl(args, { kubeconfig: host.kubeconfig });
  const keepalive = (member: MemberServer, name: string) => kubectl(['get', 'upstream', name, '-o', 'jsonpath={.spec.keepalive}'], { kubeconfig: member.kubeconfig });
  const absent = async (member: MemberServer, name: string) => {
    const result = await runKubectl(['get', 'upstream', name], { kubeconfig: member.kubeconfig });
    assert.match(result.stderr, /NotFound/);
  };

  before(async () => {
    east = await startMember('east');
    west = await startMember('west');
    host = await startTestServer('sqlite', (builder) => builder.withGroup(federationGroup({ controller: TEST_PACING })).withGroup(nginxGroup({ enabled: false })));
    await join(host.kubeconfig, east, { tier: 'edge' });
    await join(host.kubeconfig, west, { tier: 'edge' });
  });
  after(async () => {
    try {
      await host?.stop();
    } finally {
      await east?.remove();
      await west?.remove();
    }
  });

  it('propagates a plain Upstream the example policies select, with the override in west', async () => {
    await onHost('apply', '-f', path.join(EXAMPLES, 'propagationpolicy.yaml'), '-f', path.join(EXAMPLES, 'overridepolicy.yaml'));
    await onHost('apply', '-f', path.join(EXAMPLES, 'upstream-api.yaml'));
    await eventually(async () => {
      assert.equal(await keepalive(east, 'api'), '8');
      assert.equal(await keepalive(west, 'api'), '64');
    }, 20_000);
    await eventually(async () => {
      const table = await onHost('get', 'resourcebindings');
      assert.match(table, /^api-upstream\s+Upstream\s+api\s+east west\s+True\s+Propagated\s+/m);
    });
    assert.equal(await onHost('get', 'upstream', 'api', '-o', 'jsonpath={.metadata.finalizers}'), '["federation.example.com/propagation"]');
  });

  it('carries a change of the host object to every copy', async () => {
    await onHost('patch', 'upstream', 'api', '--type=merge', '-p', '{"spec":{"servers":[{"address":"10.0.1.22","port":9000}]}}');
    await eventually(async () => {
      for (const member of [east, west]) {
        assert.equal(await kubectl(['get', 'upstream', 'api', '-o', 'jsonpath={.spec.servers[*].address}'], { kubeconfig: member.kubeconfig }), '10.0.1.22');
      }
    }, 10_000);
    assert.equal(await keepalive(west, 'api'), '64');
  });

  it('leaves objects the policies do not select on the host only', async () => {
    const other = 'apiVersion: nginx.example.com/v1\nkind: Upstream\nmetadata:\n  name: local\n  labels:\n    app: local\nspec:\n  servers:\n  - address: 10.0.2.1\n    port: 80\n';
    await kubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: other });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await absent(east, 'local');
    assert.equal(await onHost('get', 'upstream', 'local', '-o', 'jsonpath={.metadata.finalizers}'), '');
  });

  it('removes the copies, the binding and then the object when the host object is deleted', async () => {
    await onHost('delete', 'upstream', 'api', '--timeout=20s');
    await absent(east, 'api');
    await absent(west, 'api');
    await eventually(async () => assert.equal(await onHost('get', 'resourcebindings', '-o', 'name'), ''));
  });

  it('lets the objects of a deleted policy go from the members, and from its finalizer', async () => {
    await onHost('apply', '-f', path.join(EXAMPLES, 'upstream-api.yaml'));
    await eventually(async () => assert.equal(await keepalive(east, 'api'), '8'), 10_000);
    await onHost('delete', 'propagationpolicy', 'api');
    await eventually(async () => {
      await absent(east, 'api');
      await absent(west, 'api');
      assert.equal(await onHost('get', 'upstream', 'api', '-o', 'jsonpath={.metadata.finalizers}'), '');
    }, 10_000);
  });
});
