/**
 * The typed client against a real server: paths from the Scheme, typed objects
 * back, the server's Status as StatusError, paging and watch.
 */
import assert from 'node:assert/strict';
import { isConflict, isNotFound, Scheme, StatusError } from '../../../src/index';
import { loadClientConfig, RESTClient, ResourceClient, type ClientWatchEvent } from '../../../src/framework/client';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { Widget, WidgetV1 } from '../../e2e/widgets.fixture';

function widget(name: string, size: number): WidgetV1 {
  const w = new WidgetV1();
  w.metadata = { name, labels: { app: 'client-test' } };
  w.spec = { size, color: 'red' };
  return w;
}

describe('framework/client: ResourceClient', function () {
  this.timeout(30_000);
  let server: TestServer;
  let rest: RESTClient;
  let widgets: ResourceClient<WidgetV1>;

  before(async () => {
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]));
    rest = new RESTClient(loadClientConfig(server.kubeconfig));
    widgets = new ResourceClient(rest, new Scheme().addKnownTypes(Widget, WidgetV1), WidgetV1).inNamespace('default');
  });
  after(async () => {
    rest?.close();
    await server?.stop();
  });

  it('reads the server and credentials from the kubeconfig the server wrote', () => {
    const config = loadClientConfig(server.kubeconfig);
    assert.equal(config.server, server.running.url);
    assert.match(config.caPem ?? '', /BEGIN CERTIFICATE/);
    assert.match(config.clientKeyPem ?? '', /PRIVATE KEY/);
  });

  it('creates, gets, updates, patches and deletes typed objects', async () => {
    const created = await widgets.create(widget('crud', 1));
    assert.ok(created instanceof WidgetV1);
    assert.equal(created.metadata.namespace, 'default');
    assert.equal(created.spec?.size, 1);

    const got = await widgets.get('crud');
    got.spec = { ...got.spec, size: 2 };
    const updated = await widgets.update(got);
    assert.equal(updated.spec?.size, 2);
    assert.equal(updated.metadata.generation, 2);

    const patched = await widgets.patch('crud', { spec: { color: 'blue' } });
    assert.deepEqual({ size: patched.spec?.size, color: patched.spec?.color }, { size: 2, color: 'blue' });

    const withStatus = await widgets.patch('crud', { status: { phase: 'Ready' } }, { subresource: 'status' });
    assert.equal(withStatus.status?.phase, 'Ready');
    assert.equal(withStatus.metadata.generation, patched.metadata.generation, 'a status write leaves the generation alone');

    const jsonPatched = await widgets.patch('crud', [{ op: 'replace', path: '/spec/size', value: 7 }], { type: 'json' });
    assert.equal(jsonPatched.spec?.size, 7);

    await widgets.delete('crud');
    await assert.rejects(widgets.get('crud'), (err: unknown) => isNotFound(err));
  });

  it('names its writes in managedFields after its User-Agent: apiserver-kit unless the config says otherwise', async () => {
    const created = await widgets.create(widget('managed', 1));
    assert.deepEqual(created.metadata.managedFields?.map((entry) => entry.manager), ['apiserver-kit']);
    const custom = new RESTClient({ ...loadClientConfig(server.kubeconfig), userAgent: 'nginx-controller/v0.1.0 (linux/amd64)' });
    try {
      const patched = await new ResourceClient(custom, new Scheme().addKnownTypes(Widget, WidgetV1), WidgetV1)
        .inNamespace('default')
        .patch('managed', { status: { phase: 'Ready' } }, { subresource: 'status' });
      assert.deepEqual(
        patched.metadata.managedFields?.map((entry) => [entry.manager, entry.subresource ?? '']),
        [
          ['apiserver-kit', ''],
          ['nginx-controller', 'status'],
        ],
      );
    } finally {
      custom.close();
      await widgets.delete('managed');
    }
  });

  it("rejects with the server's Status: a stale update is a Conflict", async () => {
    const created = await widgets.create(widget('stale', 1));
    await widgets.patch('stale', { spec: { size: 2 } });
    created.spec = { size: 3 };
    await assert.rejects(widgets.update(created), (err: unknown) => {
      assert.ok(err instanceof StatusError);
      assert.ok(isConflict(err));
      assert.equal(err.code, 409);
      assert.match(err.message, /the object has been modified/);
      return true;
    });
  });

  it('pages a list with limit and continue, and listAll gathers every page', async () => {
    const paging = widgets.inNamespace('kube-public');
    for (const name of ['p1', 'p2', 'p3']) await paging.create(widget(name, 1));
    const first = await paging.list({ limit: 2 });
    assert.deepEqual(first.items.map((w) => w.metadata.name), ['p1', 'p2']);
    assert.ok(first.continue);
    const second = await paging.list({ limit: 2, continue: first.continue });
    assert.deepEqual(second.items.map((w) => w.metadata.name), ['p3']);
    assert.equal(second.continue, undefined);
    const all = await paging.listAll();
    assert.deepEqual(all.items.map((w) => w.metadata.name), ['p1', 'p2', 'p3']);
    assert.match(all.resourceVersion, /^\d+$/);
  });

  it('watches: changes after a list resourceVersion arrive as typed events', async () => {
    await widgets.create(widget('watched', 1));
    const { resourceVersion } = await widgets.list();
    const abort = new AbortController();
    const seen: ClientWatchEvent<WidgetV1>[] = [];
    const done = (async () => {
      for await (const event of widgets.watch({ resourceVersion, signal: abort.signal })) {
        seen.push(event);
        if (event.type === 'DELETED') abort.abort();
      }
    })();
    await widgets.patch('watched', { spec: { size: 5 } });
    await widgets.delete('watched');
    await done;
    assert.deepEqual(
      seen.map((e) => (e.type === 'MODIFIED' || e.type === 'DELETED' ? [e.type, e.object.metadata.name, e.object.spec?.size] : [e.type])),
      [
        ['MODIFIED', 'watched', 5],
        ['DELETED', 'watched', 5],
      ],
    );
    assert.ok(seen.every((e) => !('object' in e) || e.object instanceof WidgetV1));
  });
});
