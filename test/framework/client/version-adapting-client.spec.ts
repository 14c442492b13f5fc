/**
 * The version-adapting client against real servers: the caller speaks
 * fixtures.example.com/v1 Widgets while the server serves only v1alpha1 (no
 * dimensions, `colour`), then is upgraded to serve only v1beta1 while the
 * client runs; patches in v1 terms; an informer; a plain request of the
 * caller's own in the served version; a refusal while the server serves no
 * version, forgotten once it does again; and a clear refusal where the server
 * serves only a same-named Widget of another group.
 */
import assert from 'node:assert/strict';
import {
  isConflict,
  isInvalid,
  Scheme,
  Store,
  StatusError,
  type APIGroupDefinition,
  type APIGroupInfo,
} from '../../../src/index';
import { loadClientConfig, NoConvertibleVersionError, RESTClient, VersionAdaptingClient, type ClientWatchEvent } from '../../../src/framework/client';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { Widget as E2EWidget, WidgetV1 as E2EWidgetV1 } from '../../e2e/widgets.fixture';
import { eventually } from '../../support/kubectl';
import { install } from '../runtime/fixtures/widgets/install';
import { GROUP } from '../runtime/fixtures/widgets/types';
import * as v1 from '../runtime/fixtures/widgets/v1';

/** fixtures.example.com Widgets served in the given versions only, from one Store; the group info is handed out to change it later. */
function widgetsGroup(versions: string[], installed: (info: APIGroupInfo) => void): APIGroupDefinition {
  return {
    name: GROUP,
    install(ctx) {
      install(ctx.scheme);
      const resource = ctx.scheme.resourceInfo({ group: GROUP, version: 'v1', resource: 'widgets' });
      if (!resource) throw new Error('widgets are not in the scheme');
      const store = new Store({ scheme: ctx.scheme, resource, storage: ctx.storageFor({ group: GROUP, resource: 'widgets' }) });
      const info: APIGroupInfo = { group: GROUP, scheme: ctx.scheme, versionedResources: Object.fromEntries(versions.map((v) => [v, { widgets: store }])) };
      installed(info);
      return [info];
    },
  };
}

function widget(name: string, size: number, color: string): v1.Widget {
  const w = new v1.Widget();
  w.metadata = { name, labels: { app: 'adapting' } };
  w.spec = new v1.WidgetSpec();
  w.spec.dimensions = new v1.WidgetDimensions();
  w.spec.dimensions.size = size;
  w.spec.color = color;
  return w;
}

describe('framework/client: VersionAdaptingClient', function () {
  this.timeout(30_000);
  let server: TestServer;
  let group: APIGroupInfo;
  let rest: RESTClient;
  let widgets: VersionAdaptingClient<v1.Widget>;
  const clientScheme = install(new Scheme());
  /** What the server holds, read in the version it serves (no conversion by the client). */
  const raw = (version: string, name: string) => rest.request<{ spec: Record<string, unknown>; metadata: { resourceVersion: string; labels?: Record<string, string> } }>(`/apis/${GROUP}/${version}/namespaces/default/widgets/${name}`);

  before(async () => {
    server = await startTestServer('sqlite', (b) => b.withGroup(widgetsGroup(['v1alpha1'], (info) => (group = info))));
    rest = new RESTClient(loadClientConfig(server.kubeconfig));
    widgets = new VersionAdaptingClient(rest, clientScheme, v1.Widget).inNamespace('default');
  });
  after(async () => {
    rest?.close();
    await server?.stop();
  });

  it('speaks v1 to a server that serves only v1alpha1, converting both ways', async () => {
    assert.deepEqual(await widgets.servedVersion(), { group: GROUP, version: 'v1alpha1', kind: 'Widget' });
    const created = await widgets.create(widget('a', 3, 'red'));
    assert.ok(created instanceof v1.Widget);
    assert.deepEqual([created.apiVersion, created.spec?.dimensions?.size, created.spec?.color], [`${GROUP}/v1`, 3, 'red']);
    assert.deepEqual((await raw('v1alpha1', 'a')).spec, { size: 3, colour: 'red', replicas: 1 }, 'stored through v1alpha1 as v1alpha1 says it');

    const got = await widgets.get('a');
    got.spec!.color = 'blue';
    const updated = await widgets.update(got);
    assert.equal(updated.spec?.color, 'blue');
    await widgets.create(widget('b', 5, 'green'));
    const list = await widgets.list();
    assert.deepEqual(list.items.map((w) => [w.metadata.name, w.spec?.dimensions?.size, w.constructor]), [
      ['a', 3, v1.Widget],
      ['b', 5, v1.Widget],
    ]);
    await widgets.delete('b');
    assert.deepEqual((await widgets.listAll()).items.map((w) => w.metadata.name), ['a']);
  });

  it('applies merge and JSON patches written against v1 to the v1 object, and writes them with a precondition', async () => {
    const merged = await widgets.patch('a', { spec: { dimensions: { size: 9 } } });
    assert.equal(merged.spec?.dimensions?.size, 9);
    assert.equal((await raw('v1alpha1', 'a')).spec.size, 9);

    const jsonPatched = await widgets.patch('a', [{ op: 'replace', path: '/spec/color', value: 'green' }], { type: 'json' });
    assert.equal(jsonPatched.spec?.color, 'green');

    const before = await raw('v1alpha1', 'a');
    await assert.rejects(widgets.patch('a', [{ op: 'test', path: '/spec/color', value: 'red' }, { op: 'remove', path: '/spec/color' }], { type: 'json' }), (err) => isInvalid(err));
    await assert.rejects(widgets.patch('a', { spec: { dimensions: { size: 'big' } } }), (err) => err instanceof StatusError && err.code === 400);
    assert.equal((await raw('v1alpha1', 'a')).metadata.resourceVersion, before.metadata.resourceVersion, 'a refused patch writes nothing');

    await assert.rejects(widgets.patch('a', { metadata: { resourceVersion: '1' }, spec: { color: 'red' } }), (err) => isConflict(err));
    const labels = await Promise.all([1, 2, 3, 4].map((i) => widgets.patch('a', { metadata: { labels: { [`patch-${i}`]: 'yes' } } })));
    assert.equal(labels.length, 4);
    assert.deepEqual(Object.keys((await raw('v1alpha1', 'a')).metadata.labels ?? {}).sort(), ['app', 'patch-1', 'patch-2', 'patch-3', 'patch-4'], 'concurrent patches retried, none lost');
  });

  it('watches and informs in v1, whoever writes in v1alpha1', async () => {
    const abort = new AbortController();
    const informer = widgets.informer();
    const added: v1.Widget[] = [];
    informer.on('add', (w) => added.push(w));
    const running = informer.run(abort.signal);
    const events: ClientWatchEvent<v1.Widget>[] = [];
    const watching = (async () => {
      for await (const event of widgets.watch({ signal: abort.signal })) events.push(event);
    })();
    try {
      await informer.waitForSync();
      await rest.request(`/apis/${GROUP}/v1alpha1/namespaces/default/widgets`, {
        method: 'POST',
        body: { apiVersion: `${GROUP}/v1alpha1`, kind: 'Widget', metadata: { name: 'c' }, spec: { size: 7, colour: 'red' } },
      });
      await eventually(() => assert.deepEqual(informer.get('default', 'c')?.spec?.dimensions?.size, 7));
      assert.ok(added.every((w) => w instanceof v1.Widget));
      await eventually(() => assert.ok(events.some((e) => e.type === 'ADDED' && e.object.metadata.name === 'c' && e.object.spec?.dimensions?.size === 7)));
    } finally {
      abort.abort();
      await Promise.all([running, watching]);
    }
  });

  it('follows the server to another version when the one it used is gone (404), from cached discovery', async () => {
    server.running.server.installAPIGroup({ ...group, versionedResources: { v1beta1: group.versionedResources.v1alpha1 } });
    const got = await widgets.get('a');
    assert.deepEqual([got.spec?.dimensions?.size, got.spec?.color], [9, 'green']);
    assert.deepEqual(await widgets.servedVersion(), { group: GROUP, version: 'v1beta1', kind: 'Widget' });
    await assert.rejects(widgets.get('missing'), (err) => err instanceof StatusError && err.code === 404 && err.status.details?.name === 'missing');
  });

  it('hands a plain client of the served version to a request of the caller\'s own', async () => {
    const plain = await widgets.withServedVersion(async (client, served) => {
      assert.deepEqual(served, { group: GROUP, version: 'v1beta1', kind: 'Widget' });
      return client.get('a');
    });
    assert.equal(plain.apiVersion, `${GROUP}/v1beta1`);
    assert.equal(plain.metadata.name, 'a');
  });

  it('refuses once the server serves no version of the group, and asks again on the next request', async () => {
    assert.deepEqual(
      widgets.convertibleVersions().map((v) => `${v.group}/${v.version}`),
      [`${GROUP}/v1`, `${GROUP}/v1beta1`, `${GROUP}/v1alpha1`, 'legacy.example.com/v1beta1'],
      'the versions it may speak, preferred first',
    );
    server.running.server.uninstallAPIGroup(GROUP);
    await assert.rejects(widgets.get('a'), (err) => {
      assert.ok(err instanceof NoConvertibleVersionError);
      assert.deepEqual(err.servedInGroups, []);
      return true;
    });
    server.running.server.installAPIGroup({ ...group, versionedResources: { v1alpha1: group.versionedResources.v1alpha1 } });
    assert.equal((await widgets.get('a')).spec?.dimensions?.size, 9);
    assert.deepEqual(await widgets.servedVersion(), { group: GROUP, version: 'v1alpha1', kind: 'Widget' });
  });

  it('refuses a server that serves only a same-named kind of another group, saying so', async () => {
    const other = await startTestServer('sqlite', (b) => b.withResource([E2EWidget, E2EWidgetV1]));
    const otherRest = new RESTClient(loadClientConfig(other.kubeconfig));
    try {
      const client = new VersionAdaptingClient(otherRest, clientScheme, v1.Widget).inNamespace('default');
      await assert.rejects(client.get('a'), (err) => {
        assert.ok(err instanceof NoConvertibleVersionError);
        assert.deepEqual(err.sameNameElsewhere, ['e2e.example.com/v1']);
        assert.equal(
          err.message,
          'the server serves no version of Widget that converts to fixtures.example.com/v1 (convertible: fixtures.example.com/v1, fixtures.example.com/v1beta1, ' +
            'fixtures.example.com/v1alpha1, legacy.example.com/v1beta1; it serves none of those groups); it serves Widget only as e2e.example.com/v1, which is another kind',
        );
        return true;
      });
    } finally {
      otherRest.close();
      await other.stop();
    }
  });
});
