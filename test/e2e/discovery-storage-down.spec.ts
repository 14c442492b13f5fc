/**
 * An aggregated server's discovery never waits for its storage: with etcd gone,
 * the group/version discovery the aggregator probes and kubectl's discovery still
 * answer, so an APIService stays Available and the cluster's discovery, namespace
 * deletion and garbage collection keep working while only this server's objects
 * are out of reach.
 */
import assert from 'node:assert/strict';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

describe('e2e: discovery while the storage is down', function () {
  this.timeout(60_000);
  let server: TestServer;

  before(async () => {
    server = await startTestServer('etcd', (b) => b.withResource([Widget, WidgetV1]));
    await server.etcd!.stop();
  });

  after(async () => {
    await server?.stop();
  });

  it('answers discovery from memory while reads of objects fail', async () => {
    const resources = await kubectl(['get', '--raw', '/apis/e2e.example.com/v1'], { kubeconfig: server.kubeconfig, timeoutMs: 5000 });
    assert.equal((JSON.parse(resources) as { resources: { name: string }[] }).resources[0].name, 'widgets');
    assert.match(await kubectl(['api-resources', '--api-group', 'e2e.example.com'], { kubeconfig: server.kubeconfig, timeoutMs: 5000 }), /^widgets\s+wd\s+e2e\.example\.com\/v1\s+true\s+Widget/m);
    await eventually(async () => {
      const list = await runKubectl(['get', 'widgets', '-n', 'default', '--request-timeout', '3s'], { kubeconfig: server.kubeconfig });
      assert.notEqual(list.code, 0);
    }, 20_000);
  });
});
