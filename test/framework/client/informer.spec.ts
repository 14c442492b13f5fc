/**
 * The informer against a real server: the first list fills the cache, watch
 * events keep it current, and a renewed watch misses nothing.
 */
import assert from 'node:assert/strict';
import { Scheme } from '../../../src/index';
import { Informer, loadClientConfig, RESTClient, ResourceClient } from '../../../src/framework/client';
import { eventually } from '../../support/kubectl';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { Widget, WidgetV1 } from '../../e2e/widgets.fixture';

function widget(name: string, size: number): WidgetV1 {
  const w = new WidgetV1();
  w.metadata = { name };
  w.spec = { size };
  return w;
}

describe('framework/client: Informer', function () {
  this.timeout(30_000);
  let server: TestServer;
  let rest: RESTClient;
  let widgets: ResourceClient<WidgetV1>;
  let stop: AbortController;

  before(async () => {
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]));
    rest = new RESTClient(loadClientConfig(server.kubeconfig));
    widgets = new ResourceClient(rest, new Scheme().addKnownTypes(Widget, WidgetV1), WidgetV1);
  });
  beforeEach(() => {
    stop = new AbortController();
  });
  afterEach(() => stop.abort());
  after(async () => {
    rest?.close();
    await server?.stop();
  });

  it('syncs existing objects, then reports adds, updates (with the old object) and deletes', async () => {
    const ns = widgets.inNamespace('default');
    await ns.create(widget('existing', 1));
    const events: string[] = [];
    const informer = new Informer(widgets)
      .on('add', (w) => events.push(`add ${w.metadata.name} ${w.spec?.size}`))
      .on('update', (w, old) => events.push(`update ${w.metadata.name} ${old?.spec?.size}->${w.spec?.size}`))
      .on('delete', (w) => events.push(`delete ${w.metadata.name}`));
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    assert.ok(informer.hasSynced);
    assert.equal(informer.get('default', 'existing')?.spec?.size, 1);

    await ns.create(widget('fresh', 2));
    await ns.patch('fresh', { spec: { size: 3 } });
    await ns.delete('existing');
    await eventually(() => assert.deepEqual(events, ['add existing 1', 'add fresh 2', 'update fresh 2->3', 'delete existing']));
    assert.deepEqual(informer.list().map((w) => w.metadata.name), ['fresh']);
    assert.deepEqual(informer.list('kube-system'), []);

    stop.abort();
    await running;
  });

  it('renews a watch the server ended from the last version it saw, missing nothing', async () => {
    const ns = widgets.inNamespace('kube-system');
    const informer = new Informer(widgets.inNamespace('kube-system'), { watchTimeoutSeconds: 1 });
    const running = informer.run(stop.signal);
    await informer.waitForSync();
    for (let i = 0; i < 3; i++) {
      await ns.create(widget(`renewed-${i}`, i));
      await new Promise((r) => setTimeout(r, 700));
    }
    await eventually(() => assert.deepEqual(informer.list().map((w) => w.metadata.name).sort(), ['renewed-0', 'renewed-1', 'renewed-2']));
    stop.abort();
    await running;
  });
});
