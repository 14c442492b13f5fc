/**
 * The namespace controller of a standalone server, driven by kubectl: a deleted
 * namespace is emptied, says with kube's conditions what keeps it Terminating,
 * and goes once its last finalizer is removed.
 */
import assert from 'node:assert/strict';
import { configMapGroup } from '../../../../src/framework/core/configmap';
import { startTestServer, type TestServer } from '../../../e2e/server-harness';
import { eventually, kubectl, runKubectl } from '../../../support/kubectl';

interface NamespaceJSON {
  status: { phase: string; conditions?: { type: string; status: string; reason: string; message: string }[] };
}

describe('the namespace controller, with kubectl', function () {
  this.timeout(60_000);
  let server: TestServer;
  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: server.kubeconfig, input });

  before(async () => {
    server = await startTestServer('sqlite', (builder) => builder.withGroup(configMapGroup()));
  });
  after(async () => {
    await server?.stop();
  });

  it('keeps a namespace Terminating while finalizers hold its content, says so in its conditions, and lets it go after', async () => {
    await k(['create', 'namespace', 'held']);
    await k(['create', 'configmap', 'plain', '-n', 'held']);
    const kept = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kept', namespace: 'held', finalizers: ['example.com/hold'] } };
    await k(['create', '-f', '-'], JSON.stringify(kept));
    await k(['delete', 'namespace', 'held', '--wait=false']);

    await eventually(async () => {
      const ns = JSON.parse(await k(['get', 'namespace', 'held', '-o', 'json'])) as NamespaceJSON;
      assert.equal(ns.status.phase, 'Terminating');
      const rows = (ns.status.conditions ?? []).map((c) => `${c.type} ${c.status} ${c.reason}: ${c.message}`);
      assert.deepEqual(rows, [
        'NamespaceDeletionDiscoveryFailure False ResourcesDiscovered: All resources successfully discovered',
        'NamespaceDeletionGroupVersionParsingFailure False ParsedGroupVersions: All legacy kube types successfully parsed',
        'NamespaceDeletionContentFailure False ContentDeleted: All content successfully deleted, may be waiting on finalization',
        'NamespaceContentRemaining True SomeResourcesRemain: Some resources are remaining: configmaps. has 1 resource instances',
        'NamespaceFinalizersRemaining True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 1 resource instances',
      ]);
    }, 15_000, 200);
    assert.equal(await k(['get', 'configmaps', '-n', 'held', '-o', 'name']), 'configmap/kept\n');
    assert.match(await k(['get', 'configmap', 'kept', '-n', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}']), /^\d{4}-/);

    await k(['patch', 'configmap', 'kept', '-n', 'held', '--type', 'merge', '-p', '{"metadata":{"finalizers":null}}']);
    await eventually(async () => assert.match((await runKubectl(['get', 'namespace', 'held'], { kubeconfig: server.kubeconfig })).stderr, /not found/), 15_000, 200);
  });
});
