/**
 * The dynamic client against a real server: plain JSON in and out for a
 * resource this process has no class for, delete preconditions, and an
 * Informer fed by it.
 */
import assert from 'node:assert/strict';
import { isConflict, isNotFound } from '../../../src/index';
import { DynamicResourceClient, Informer, loadClientConfig, RESTClient, type UnstructuredObject } from '../../../src/framework/client';
import { eventually } from '../../support/kubectl';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { Widget, WidgetV1 } from '../../e2e/widgets.fixture';

const WIDGETS = { group: 'e2e.example.com', version: 'v1', plural: 'widgets', namespaced: true, kind: 'Widget' };

function widget(name: string, size: number): Record<string, unknown> {
  return { apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name }, spec: { size, extra: 'dropped by the server' } };
}

describe('framework/client: DynamicResourceClient', function () {
  this.timeout(30_000);
  let server: TestServer;
  let rest: RESTClient;
  let widgets: DynamicResourceClient;

  before(async () => {
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]));
    rest = new RESTClient(loadClientConfig(server.kubeconfig));
    widgets = new DynamicResourceClient(rest, WIDGETS).inNamespace('default');
  });
  after(async () => {
    rest?.close();
    await server?.stop();
  });

  it('creates, reads, updates, patches and deletes plain objects', async () => {
    const created = await widgets.create(widget('plain', 1));
    assert.deepEqual(created.spec, { size: 1 });
    assert.equal(created.metadata.namespace, 'default');
    const got = await widgets.get('plain');
    const updated = await widgets.update({ ...got, spec: { size: 2 } });
    assert.equal(updated.metadata.generation, 2);
    const patched = await widgets.patch('plain', { status: { phase: 'Ready' } }, { subresource: 'status' });
    assert.deepEqual(patched.status, { phase: 'Ready' });
    assert.deepEqual((await widgets.list()).items.map((w) => w.metadata.name), ['plain']);
    await widgets.delete('plain');
    await assert.rejects(widgets.get('plain'), (err: unknown) => isNotFound(err));
  });

  it('deletes only while the preconditions hold', async () => {
    const created = await widgets.create(widget('guarded', 1));
    await widgets.patch('guarded', { spec: { size: 2 } });
    await assert.rejects(widgets.delete('guarded', { preconditions: { resourceVersion: created.metadata.resourceVersion } }), (err: unknown) => isConflict(err));
    await widgets.delete('guarded', { preconditions: { uid: created.metadata.uid } });
    await assert.rejects(widgets.get('guarded'), (err: unknown) => isNotFound(err));
  });

  it('feeds an Informer', async () => {
    const stop = new AbortController();
    const informer = new Informer<UnstructuredObject>(widgets);
    const running = informer.run(stop.signal);
    try {
      await informer.waitForSync();
      await widgets.create(widget('informed', 3));
      await eventually(() => assert.deepEqual(informer.get('default', 'informed')?.spec, { size: 3 }));
    } finally {
      stop.abort();
      await running;
    }
  });
});
