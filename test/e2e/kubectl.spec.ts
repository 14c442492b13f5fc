/**
 * The real kubectl against `serve`, on the embedded SQLite store and on a real etcd:
 * the everyday commands a kube-apiserver user types.
 */
import assert from 'node:assert/strict';
import YAML from 'yaml';
import { eventually, kubectl, kubectlVersion, runKubectl, startKubectl } from '../support/kubectl';
import { startTestServer, type Backend, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

function widgetYAML(name: string, extra: Record<string, unknown> = {}): string {
  return YAML.stringify({
    apiVersion: 'e2e.example.com/v1',
    kind: 'Widget',
    metadata: { name, labels: { app: 'demo' } },
    spec: { size: 3, color: 'red', parts: [{ name: 'bolt', value: 'm4' }] },
    ...extra,
  });
}

for (const backend of ['sqlite', 'etcd'] as Backend[]) {
  describe(`e2e: kubectl against serve (${backend})`, function () {
    this.timeout(60_000);
    let server: TestServer;
    const k = (...args: string[]) => kubectl(args, { kubeconfig: server.kubeconfig });
    const kWithInput = (input: string, ...args: string[]) => kubectl(args, { kubeconfig: server.kubeconfig, input });

    before(async () => {
      server = await startTestServer(backend, (b) => b.withResource([Widget, WidgetV1]));
    });
    after(async () => {
      await server?.stop();
    });

    it('lists the resource in api-resources and the group in api-versions', async () => {
      const resources = await k('api-resources');
      assert.match(resources, /^widgets\s+wd\s+e2e\.example\.com\/v1\s+true\s+Widget$/m);
      assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
      const versions = await k('api-versions');
      assert.match(versions, /^e2e\.example\.com\/v1$/m);
      assert.match(versions, /^v1$/m);
    });

    it('creates from a file, gets it as a table and as YAML', async () => {
      assert.match(await kWithInput(widgetYAML('first'), 'create', '-f', '-'), /widget\.e2e\.example\.com\/first created/);
      const table = await k('get', 'widgets');
      assert.match(table, /^NAME\s+SIZE\s+COLOR\s+AGE$/m);
      assert.match(table, /^first\s+3\s+red\s+\d+s$/m);
      const obj = YAML.parse(await k('get', 'wd', 'first', '-o', 'yaml'));
      assert.equal(obj.kind, 'Widget');
      assert.equal(obj.metadata.namespace, 'default');
      assert.equal(obj.metadata.generation, 1);
      assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
      assert.deepEqual(obj.spec, { size: 3, color: 'red', parts: [{ name: 'bolt', value: 'm4' }] });
    });

    it('applies a new object and then a change to it', async () => {
      assert.match(await kWithInput(widgetYAML('applied'), 'apply', '-f', '-'), /widget\.e2e\.example\.com\/applied created/);
      const changed = widgetYAML('applied').replace('size: 3', 'size: 5');
      assert.match(await kWithInput(changed, 'apply', '-f', '-'), /widget\.e2e\.example\.com\/applied configured/);
      const obj = JSON.parse(await k('get', 'widget', 'applied', '-o', 'json'));
      assert.equal(obj.spec.size, 5);
      assert.equal(obj.metadata.generation, 2);
    });

    it('watches with get -w and sees a later change', async () => {
      await kWithInput(widgetYAML('watched'), 'create', '-f', '-');
      const watch = startKubectl(['get', 'widgets', '-w', '--output-watch-events'], { kubeconfig: server.kubeconfig });
      try {
        await eventually(() => assert.match(watch.output(), /ADDED\s+watched/));
        await k('patch', 'widget', 'watched', '--type=merge', '-p', '{"spec":{"size":42}}');
        await eventually(() => assert.match(watch.output(), /MODIFIED\s+watched\s+42\s+red/));
      } finally {
        watch.stop();
      }
    });

    it('refuses a replace with a stale resourceVersion', async () => {
      await kWithInput(widgetYAML('replaced'), 'create', '-f', '-');
      const current = YAML.parse(await k('get', 'widget', 'replaced', '-o', 'yaml'));
      await k('label', 'widget', 'replaced', 'tier=web');
      current.spec.size = 9;
      const result = await runKubectl(['replace', '-f', '-'], { kubeconfig: server.kubeconfig, input: YAML.stringify(current) });
      assert.notEqual(result.code, 0);
      assert.match(result.stderr, /Operation cannot be fulfilled on widgets\.e2e\.example\.com "replaced": the object has been modified; please apply your changes to the latest version and try again/);
    });

    it('patches with --type=json and --type=merge', async () => {
      await kWithInput(widgetYAML('patched'), 'create', '-f', '-');
      await k('patch', 'widget', 'patched', '--type=json', '-p', '[{"op":"replace","path":"/spec/color","value":"blue"},{"op":"add","path":"/spec/parts/-","value":{"name":"nut"}}]');
      await k('patch', 'widget', 'patched', '--type=merge', '-p', '{"spec":{"size":7}}');
      const obj = JSON.parse(await k('get', 'widget', 'patched', '-o', 'json'));
      assert.equal(obj.spec.color, 'blue');
      assert.equal(obj.spec.size, 7);
      assert.deepEqual(obj.spec.parts.map((p: { name: string }) => p.name), ['bolt', 'nut']);
    });

    it('merges list items by key with a strategic merge patch and with client-side apply', async () => {
      await kWithInput(widgetYAML('strategic'), 'create', '-f', '-');
      await k('patch', 'widget', 'strategic', '-p', '{"spec":{"parts":[{"name":"nut","value":"m4"}]}}');
      let obj = JSON.parse(await k('get', 'widget', 'strategic', '-o', 'json'));
      assert.deepEqual(obj.spec.parts, [{ name: 'nut', value: 'm4' }, { name: 'bolt', value: 'm4' }]);

      const applied = (parts: object[]) => YAML.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name: 'applied-parts' }, spec: { size: 1, parts } });
      await kWithInput(applied([{ name: 'a', value: '1' }, { name: 'b', value: '2' }, { name: 'c', value: '3' }]), 'apply', '-f', '-');
      await kWithInput(applied([{ name: 'a', value: '1' }, { name: 'c', value: '30' }]), 'apply', '-f', '-');
      obj = JSON.parse(await k('get', 'widget', 'applied-parts', '-o', 'json'));
      assert.deepEqual(obj.spec.parts, [{ name: 'a', value: '1' }, { name: 'c', value: '30' }]);
    });

    it('labels and annotates, and selects by label', async () => {
      await kWithInput(widgetYAML('labelled'), 'create', '-f', '-');
      await k('label', 'widget', 'labelled', 'tier=db');
      await k('annotate', 'widget', 'labelled', 'owner=ops');
      const obj = JSON.parse(await k('get', 'widget', 'labelled', '-o', 'json'));
      assert.equal(obj.metadata.labels.tier, 'db');
      assert.equal(obj.metadata.annotations.owner, 'ops');
      assert.equal(obj.metadata.generation, 1, 'metadata changes do not bump generation');
      assert.equal((await k('get', 'widgets', '-l', 'tier=db', '-o', 'name')).trim(), 'widget.e2e.example.com/labelled');
      assert.doesNotMatch(await k('get', 'widgets', '-l', 'tier!=db', '-o', 'name'), /labelled/);
      assert.match(await k('get', 'widgets', '-l', 'tier in (db,web)', '-o', 'name'), /labelled/);
    });

    it('pages through 35 objects with --chunk-size=10', async () => {
      await k('create', 'namespace', 'paging');
      const many = Array.from({ length: 35 }, (_, i) => widgetYAML(`w${String(i).padStart(2, '0')}`)).join('---\n');
      await kWithInput(many, 'create', '-n', 'paging', '-f', '-');
      const result = await runKubectl(['get', 'widgets', '-n', 'paging', '--chunk-size=10', '-o', 'name', '-v=6'], { kubeconfig: server.kubeconfig });
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout.trim().split('\n').length, 35);
      const pages = result.stderr.match(/verb="GET" url="[^"]*\/widgets\?[^"]*limit=10/g) ?? [];
      assert.equal(pages.length, 4, `expected 4 page requests, saw:\n${pages.join('\n')}`);
    });

    it('deletes, and delete --wait waits for finalizers', async () => {
      await kWithInput(widgetYAML('gone'), 'create', '-f', '-');
      assert.match(await k('delete', 'widget', 'gone'), /widget\.e2e\.example\.com "gone" deleted/);
      const missing = await runKubectl(['get', 'widget', 'gone'], { kubeconfig: server.kubeconfig });
      assert.match(missing.stderr, /widgets\.e2e\.example\.com "gone" not found/);

      await kWithInput(widgetYAML('held', { metadata: { name: 'held', finalizers: ['e2e.example.com/hold'] } }), 'create', '-f', '-');
      const deletion = startKubectl(['delete', 'widget', 'held', '--wait=true', '--timeout=30s'], { kubeconfig: server.kubeconfig });
      try {
        await eventually(async () => {
          const obj = JSON.parse(await k('get', 'widget', 'held', '-o', 'json'));
          assert.ok(obj.metadata.deletionTimestamp, 'deletionTimestamp set while the finalizer holds');
        });
        // kubectl reports the deletion at once, then waits for the object to go.
        const stillWaiting = await Promise.race([deletion.exited.then(() => false), new Promise((r) => setTimeout(() => r(true), 1000))]);
        assert.equal(stillWaiting, true, 'kubectl delete --wait returned while a finalizer held the object');
        await k('patch', 'widget', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]');
        assert.equal(await deletion.exited, 0);
        assert.match(deletion.output(), /widget\.e2e\.example\.com "held" deleted/);
      } finally {
        deletion.stop();
      }
    });

    it('creates a namespace with kubectl 1.33, which sends it as protobuf', async () => {
      const out = await kubectl(['create', 'namespace', 'from-proto'], { kubeconfig: server.kubeconfig, binary: kubectlVersion(33) });
      assert.match(out, /namespace\/from-proto created/);
      const ns = JSON.parse(await k('get', 'namespace', 'from-proto', '-o', 'json'));
      assert.equal(ns.status.phase, 'Active');
      assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
    });

    it('creates a namespace, refuses content in a missing one, and deletes a namespace with its content', async () => {
      assert.match(await k('create', 'namespace', 'team-a'), /namespace\/team-a created/);
      await kWithInput(widgetYAML('in-a'), 'create', '-n', 'team-a', '-f', '-');
      const refused = await runKubectl(['create', '-n', 'nowhere', '-f', '-'], { kubeconfig: server.kubeconfig, input: widgetYAML('lost') });
      assert.notEqual(refused.code, 0);
      assert.match(refused.stderr, /namespaces "nowhere" not found/);
      assert.match(await k('delete', 'namespace', 'team-a', '--timeout=30s'), /namespace "team-a" deleted/);
      const gone = await runKubectl(['get', 'widgets', '-n', 'team-a', '-o', 'name'], { kubeconfig: server.kubeconfig });
      assert.equal(gone.stdout.trim(), '');
    });
  });
}
