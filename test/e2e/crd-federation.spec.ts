/**
 * Custom resources federated: the TFJob-like CRD is applied to a host and a
 * member cluster; a FederatedTypeConfig naming its resource makes the host serve
 * FederatedTFJob, whose template reaches the member as a TFJob the member's CRD
 * validates and defaults, and goes again when the federated object is deleted.
 */
import assert from 'node:assert/strict';
import { federationGroup } from '../../src/apis/federation/group';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { TFJOB_CRD, tfJob, yaml } from './crd-fixtures';
import { join, startMember, TEST_PACING, type MemberServer } from './federation-harness';
import { startTestServer, type TestServer } from './server-harness';

const TYPE_CONFIG = {
  apiVersion: 'federation.example.com/v1alpha1',
  kind: 'FederatedTypeConfig',
  metadata: { name: 'tfjobs.kubeflow.org' },
  spec: { targetType: { group: 'kubeflow.org', version: 'v1', kind: 'TFJob', plural: 'tfjobs', scope: 'Namespaced' } },
};

function federatedTFJob(name: string): Record<string, unknown> {
  const { spec } = tfJob(name, 3);
  return {
    apiVersion: 'types.federation.example.com/v1alpha1',
    kind: 'FederatedTFJob',
    metadata: { name, namespace: 'default' },
    spec: { template: { metadata: { labels: { team: 'vision' } }, spec }, placement: { clusters: [{ name: 'east' }] } },
  };
}

describe('e2e: custom resources federated to a member cluster', function () {
  this.timeout(60_000);
  let host: TestServer;
  let east: MemberServer;
  const onHost = (...args: string[]) => kubectl(args, { kubeconfig: host.kubeconfig });
  const onEast = (...args: string[]) => kubectl(args, { kubeconfig: east.kubeconfig });

  before(async () => {
    east = await startMember('east');
    host = await startTestServer('sqlite', (builder) => builder.withGroup(federationGroup({ controller: TEST_PACING })));
  });
  after(async () => {
    try {
      await host?.stop();
    } finally {
      await east?.remove();
    }
  });

  it('serves FederatedTFJob once a FederatedTypeConfig names the CRD\'s resource', async () => {
    for (const kubeconfig of [host.kubeconfig, east.kubeconfig]) {
      await kubectl(['apply', '-f', '-'], { kubeconfig, input: yaml(TFJOB_CRD) });
      await kubectl(['wait', '--for=condition=Established', '--timeout=20s', 'crd/tfjobs.kubeflow.org'], { kubeconfig });
    }
    await join(host.kubeconfig, east);
    await kubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: yaml(TYPE_CONFIG) });
    await onHost('wait', '--for=condition=Established', '--timeout=20s', 'federatedtypeconfig/tfjobs.kubeflow.org');
    assert.match(await onHost('api-resources', '--api-group=types.federation.example.com', '-o', 'name'), /^federatedtfjobs\.types\.federation\.example\.com$/m);
  });

  it('propagates the template to the member, where its CRD defaults it', async () => {
    await kubectl(['apply', '-f', '-'], { kubeconfig: host.kubeconfig, input: yaml(federatedTFJob('mnist')) });
    await eventually(async () => assert.match(await onEast('get', 'tfjobs'), /^mnist\s+3\s+\d+s$/m), 20_000);
    const copy = JSON.parse(await onEast('get', 'tfjob', 'mnist', '-o', 'json'));
    assert.equal(copy.metadata.labels.team, 'vision');
    assert.equal(copy.spec.tfReplicaSpecs.Worker.restartPolicy, 'Never');
    assert.deepEqual(copy.spec.runPolicy, { cleanPodPolicy: 'Running' });
  });

  it('removes the copy when the federated object is deleted', async () => {
    await onHost('delete', 'federatedtfjob', 'mnist', '-n', 'default', '--timeout=20s');
    await eventually(async () => assert.match((await runKubectl(['get', 'tfjob', 'mnist'], { kubeconfig: east.kubeconfig })).stderr, /NotFound/), 20_000);
  });
});
