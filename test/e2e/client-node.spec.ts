/**
 * @kubernetes/client-node against `serve`, on the embedded SQLite store and on a
 * real etcd: an informer (list+watch) follows 300 changes in order and recovers
 * with a relist after its watch gets 410 Gone; the generic KubernetesObjectApi
 * creates, reads, patches and deletes a Widget.
 */
import assert from 'node:assert/strict';
import type * as ClientNode from '@kubernetes/client-node';
import { Store, type APIGroupDefinition, type StorageInterface } from '../../src/index';
import { eventually } from '../support/kubectl';
import { startTestServer, type Backend, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

/**
 * client-node 1.x is published as ES modules only. tsc compiles this CommonJS test's
 * `import()` into `require()`, which cannot load them, so the import is built at
 * run time where tsc does not rewrite it.
 */
const importESM = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<typeof ClientNode>;

const GROUP = 'e2e.example.com';
const VERSION = 'v1';
const PLURAL = 'widgets';
const API_VERSION = `${GROUP}/${VERSION}`;

interface WidgetObject extends ClientNode.KubernetesObject {
  spec?: { size?: number; color?: string };
}

/**
 * The Widget group in its long form, so that the test holds the storage the
 * server reads and writes (and can compact it).
 */
function widgetGroup(onStorage: (storage: StorageInterface) => void): APIGroupDefinition {
  return {
    name: 'e2e-widgets',
    install(ctx) {
      ctx.scheme.addKnownTypes(Widget, WidgetV1);
      const resource = ctx.scheme.resourceInfo({ group: GROUP, version: VERSION, resource: PLURAL });
      if (!resource) throw new Error('Widget is not registered');
      const storage = ctx.storageFor({ group: GROUP, resource: PLURAL });
      onStorage(storage);
      const store = new Store({ scheme: ctx.scheme, resource, storage, admission: ctx.admission });
      return [{ group: GROUP, scheme: ctx.scheme, versionedResources: { [VERSION]: { [PLURAL]: store, [`${PLURAL}/status`]: store } } }];
    },
  };
}

interface InformerEvent {
  type: 'add' | 'update' | 'delete';
  name: string;
  size?: number;
}

/** An informer over the Widgets of one namespace that records what it tells its handlers. */
class RecordingInformer {
  readonly events: InformerEvent[] = [];
  listCalls = 0;
  readonly informer: ClientNode.Informer<WidgetObject> & ClientNode.ObjectCache<WidgetObject>;

  constructor(k8s: typeof ClientNode, kc: ClientNode.KubeConfig, namespace: string) {
    const customObjects = kc.makeApiClient(k8s.CustomObjectsApi);
    const list = () => {
      this.listCalls++;
      return customObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL }) as Promise<
        ClientNode.KubernetesListObject<WidgetObject>
      >;
    };
    this.informer = k8s.makeInformer(kc, `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${PLURAL}`, list);
    for (const type of ['add', 'update', 'delete'] as const) {
      this.informer.on(type, (obj: WidgetObject) => this.events.push({ type, name: obj.metadata?.name ?? '', size: obj.spec?.size }));
    }
    // stop() aborts the watch request, which the informer reports as an error.
    this.informer.on('error', () => undefined);
  }

  /** Names and resourceVersions of the cached objects, sorted by name. */
  cached(): [string, string][] {
    return this.informer
      .list()
      .map((o): [string, string] => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? ''])
      .sort(([a], [b]) => a.localeCompare(b));
  }
}

for (const backend of ['sqlite', 'etcd'] as Backend[]) {
  describe(`e2e: @kubernetes/client-node against serve (${backend})`, function () {
    this.timeout(60_000);
    let server: TestServer;
    let storage: StorageInterface;
    let k8s: typeof ClientNode;
    let kc: ClientNode.KubeConfig;
    let customObjects: ClientNode.CustomObjectsApi;
    const informers: RecordingInformer[] = [];

    before(async () => {
      k8s = await importESM('@kubernetes/client-node');
      server = await startTestServer(backend, (b) => b.withGroup(widgetGroup((s) => (storage = s))));
      kc = new k8s.KubeConfig();
      kc.loadFromFile(server.kubeconfig);
      customObjects = kc.makeApiClient(k8s.CustomObjectsApi);
    });
    after(async () => {
      for (const informer of informers) await informer.informer.stop();
      await server?.stop();
    });

    async function createNamespace(name: string): Promise<void> {
      await kc.makeApiClient(k8s.CoreV1Api).createNamespace({ body: { metadata: { name } } });
    }

    async function startInformer(namespace: string): Promise<RecordingInformer> {
      const recording = new RecordingInformer(k8s, kc, namespace);
      informers.push(recording);
      // Resolves once the list is in and the watch is connected.
      await recording.informer.start();
      return recording;
    }

    function createWidget(namespace: string, name: string, size: number): Promise<WidgetObject> {
      const body: WidgetObject = { apiVersion: API_VERSION, kind: 'Widget', metadata: { name }, spec: { size } };
      return customObjects.createNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, body }) as Promise<WidgetObject>;
    }

    function replaceWidget(namespace: string, obj: WidgetObject): Promise<WidgetObject> {
      const name = obj.metadata?.name ?? '';
      return customObjects.replaceNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name, body: obj }) as Promise<WidgetObject>;
    }

    async function deleteWidget(namespace: string, name: string): Promise<void> {
      await customObjects.deleteNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL, name });
    }

    async function storedWidgets(namespace: string): Promise<[string, string][]> {
      const list = (await customObjects.listNamespacedCustomObject({ group: GROUP, version: VERSION, namespace, plural: PLURAL })) as ClientNode.KubernetesListObject<WidgetObject>;
      return list.items.map((o): [string, string] => [o.metadata?.name ?? '', o.metadata?.resourceVersion ?? '']).sort(([a], [b]) => a.localeCompare(b));
    }

    it('an informer sees the create, update and delete of 100 objects, each object in order', async () => {
      await createNamespace('informed');
      const recording = await startInformer('informed');
      const names = Array.from({ length: 100 }, (_, i) => `w${String(i).padStart(3, '0')}`);

      const created = await Promise.all(names.map((name) => createWidget('informed', name, 1)));
      await Promise.all(created.map((obj) => replaceWidget('informed', { ...obj, spec: { ...obj.spec, size: 2 } })));
      await Promise.all(names.map((name) => deleteWidget('informed', name)));

      await eventually(() => assert.equal(recording.events.length, 300));
      for (const name of names) {
        const seen = recording.events.filter((e) => e.name === name).map((e) => `${e.type}:${e.size}`);
        assert.deepEqual(seen, ['add:1', 'update:2', 'delete:2'], `events of ${name}`);
      }
      assert.deepEqual(recording.cached(), []);
      assert.equal(recording.listCalls, 1, 'the informer listed once and then only watched');
    });

    it('an informer whose watch gets 410 Gone relists and converges to the stored objects', async () => {
      await createNamespace('relisted');
      for (const name of ['keep', 'change', 'drop-1', 'drop-2']) await createWidget('relisted', name, 1);
      const recording = await startInformer('relisted');
      await eventually(async () => assert.deepEqual(recording.cached(), await storedWidgets('relisted')));

      // While the informer is disconnected, the objects change and the history it
      // would resume from is compacted away.
      await recording.informer.stop();
      recording.events.length = 0;
      const change = (await customObjects.getNamespacedCustomObject({ group: GROUP, version: VERSION, namespace: 'relisted', plural: PLURAL, name: 'change' })) as WidgetObject;
      await replaceWidget('relisted', { ...change, spec: { size: 5 } });
      await deleteWidget('relisted', 'drop-1');
      await deleteWidget('relisted', 'drop-2');
      await createWidget('relisted', 'new', 1);
      await storage.compact(await storage.currentRevision());

      await recording.informer.start();
      const stored = await storedWidgets('relisted');
      assert.deepEqual(
        stored.map(([name]) => name),
        ['change', 'keep', 'new'],
      );
      await eventually(() => assert.deepEqual(recording.cached(), stored));
      assert.equal(recording.listCalls, 2, 'the 410 made the informer list again');
      const byName = (a: InformerEvent, b: InformerEvent) => a.name.localeCompare(b.name);
      assert.deepEqual(recording.events.sort(byName), [
        { type: 'update', name: 'change', size: 5 },
        { type: 'delete', name: 'drop-1', size: 1 },
        { type: 'delete', name: 'drop-2', size: 1 },
        { type: 'add', name: 'new', size: 1 },
      ]);
    });

    it('KubernetesObjectApi creates, reads, merge-patches and deletes a Widget', async () => {
      // The client maps kind to resource with the first APIResource of that kind in
      // discovery, so `widgets` must come before `widgets/status` there.
      const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
      const header = { apiVersion: API_VERSION, kind: 'Widget', metadata: { name: 'generic', namespace: 'default' } };

      const created = await objects.create<WidgetObject>({ ...header, spec: { size: 3, color: 'red' } });
      assert.equal(created.metadata?.uid?.length, 36);
      assert.deepEqual(created.spec, { size: 3, color: 'red' });

      const read = await objects.read<WidgetObject>(header);
      assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);

      const patched = await objects.patch<WidgetObject>({ ...header, spec: { color: 'blue' } }, undefined, undefined, undefined, undefined, k8s.PatchStrategy.MergePatch);
      assert.deepEqual(patched.spec, { size: 3, color: 'blue' });
      assert.notEqual(patched.metadata?.resourceVersion, created.metadata?.resourceVersion);
      assert.equal(patched.metadata?.generation, 2);

      await objects.delete(header);
      await assert.rejects(objects.read(header), (err: ClientNode.ApiException<string>) => {
        assert.equal(err.code, 404);
        assert.deepEqual(JSON.parse(err.body), {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'widgets.e2e.example.com "generic" not found',
          reason: 'NotFound',
          details: { name: 'generic', group: GROUP, kind: PLURAL },
          code: 404,
        });
        return true;
      });
    });
  });
}
