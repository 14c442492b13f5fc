/**
 * The real kubectl against `serve`: the commands a kube-apiserver user types, for
 * several kubectl releases (/usr/bin/kubectl on SQLite and on a real etcd; 1.27,
 * the oldest supported, and 1.33 on SQLite). No --validate=false anywhere, any
 * warning a test does not expect fails it, and what `get` and `explain` print is
 * compared with the expected text.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { eventually, KUBECTL, kubectlVersion } from '../support/kubectl';
import { assertNoWarnings, KubectlSession, kubectlMinorVersion } from '../support/kubectl-session';
import { RawClient } from '../support/raw-client';
import { startTestServer, type Backend, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';
import * as expected from './kubectl.expected';

interface KubectlTarget {
  binary: string;
  backends: Backend[];
}

/** Every release runs the whole suite; only the default binary runs it on etcd too, to keep the matrix short. */
const MATRIX: KubectlTarget[] = [
  { binary: KUBECTL, backends: ['sqlite', 'etcd'] },
  { binary: kubectlVersion(27), backends: ['sqlite'] },
  { binary: kubectlVersion(33), backends: ['sqlite'] },
];

function widgetYAML(name: string, extra: Record<string, unknown> = {}): string {
  return YAML.stringify({
    apiVersion: 'e2e.example.com/v1',
    kind: 'Widget',
    metadata: { name, labels: { app: 'demo' } },
    spec: { size: 3, color: 'red', parts: [{ name: 'bolt', value: 'm4' }] },
    ...extra,
  });
}

/** Table output with the AGE cells (the last column) made comparable. */
function ageless(table: string): string {
  return table.replace(/ {3}(\d+[smhd])+$/gm, '   <age>');
}

/** The changed lines of a unified diff, without its file headers. */
function changedLines(diff: string): string[] {
  return diff.split('\n').filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
}

for (const target of MATRIX) {
  for (const backend of target.backends) {
    describe(`e2e: kubectl ${path.basename(target.binary)} against serve (${backend})`, function () {
      this.timeout(60_000);
      let server: TestServer;
      let kubectl: KubectlSession;
      let minor: number;
      const k = (...args: string[]) => kubectl.ok(args);
      const kWithInput = (input: string, ...args: string[]) => kubectl.ok(args, { input });

      before(async () => {
        minor = await kubectlMinorVersion(target.binary);
        server = await startTestServer(backend, (b) => b.withResource([Widget, WidgetV1]));
        kubectl = new KubectlSession(target.binary, server.kubeconfig);
      });
      after(async () => {
        kubectl?.close();
        await server?.stop();
      });

      it('lists the resources in api-resources, with verbs and categories, and the groups in api-versions', async () => {
        assert.equal(await k('api-resources', '-o', 'wide', '--api-group=e2e.example.com'), expected.API_RESOURCES_WIDE);
        assert.match(await k('api-resources'), /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
        const versions = await k('api-versions');
        assert.match(versions, /^e2e\.example\.com\/v1$/m);
        assert.match(versions, /^v1$/m);
      });

      it('creates from a file and gets it as a table, wide, and as YAML', async () => {
        assert.equal(await kWithInput(widgetYAML('first'), 'create', '-f', '-'), 'widget.e2e.example.com/first created\n');
        assert.equal(ageless(await k('get', 'widgets', 'first')), 'NAME    SIZE   COLOR   AGE\nfirst   3      red     <age>\n');
        assert.equal(ageless(await k('get', 'wd', 'first', '-o', 'wide')), 'NAME    SIZE   COLOR   PHASE   AGE\nfirst   3      red             <age>\n');
        const obj = YAML.parse(await k('get', 'wd', 'first', '-o', 'yaml'));
        assert.equal(obj.kind, 'Widget');
        assert.equal(obj.metadata.namespace, 'default');
        assert.equal(obj.metadata.generation, 1);
        assert.match(obj.metadata.uid, /^[0-9a-f-]{36}$/);
        assert.deepEqual(obj.spec, { size: 3, color: 'red', parts: [{ name: 'bolt', value: 'm4' }] });
      });

      it('explains the resource and nested fields from OpenAPI v3, and from v2', async () => {
        assert.equal(await k('explain', 'widgets'), expected.EXPLAIN_WIDGETS);
        assert.equal(await k('explain', 'widgets.spec'), expected.explainWidgetSpec(minor));
        assert.equal(await k('explain', 'widgets.spec.parts'), expected.explainWidgetParts(minor));
        assert.equal(await k('explain', 'wd.status.conditions'), expected.explainWidgetConditions(minor));
        assert.equal(await k('explain', 'widgets.spec', '--output=plaintext-openapiv2'), expected.EXPLAIN_WIDGET_SPEC_V2);
      });

      it('applies a new object and then a change to it', async () => {
        assert.equal(await kWithInput(widgetYAML('applied'), 'apply', '-f', '-'), 'widget.e2e.example.com/applied created\n');
        const changed = widgetYAML('applied').replace('size: 3', 'size: 5');
        assert.equal(await kWithInput(changed, 'apply', '-f', '-'), 'widget.e2e.example.com/applied configured\n');
        const obj = JSON.parse(await k('get', 'widget', 'applied', '-o', 'json'));
        assert.equal(obj.spec.size, 5);
        assert.equal(obj.metadata.generation, 2);
      });

      it('validates fields on the server: strictly by default, with a warning under --validate=warn', async () => {
        const bogus = widgetYAML('bogus').replace('size: 3', 'size: 3\n  bogus: true');
        const refused = await kubectl.fails(['create', '-f', '-'], { input: bogus });
        assert.match(refused.stderr, /Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec\.bogus"/);
        const warned = await kubectl.ok(['create', '--validate=warn', '-f', '-'], { input: bogus, stderr: /^Warning: unknown field "spec\.bogus"$/ });
        assert.equal(warned, 'widget.e2e.example.com/bogus created\n');
        const invalid = await kubectl.fails(['create', '-f', '-'], { input: widgetYAML('purple').replace('color: red', 'color: purple') });
        assert.equal(invalid.stderr, 'The Widget "purple" is invalid: spec.color: Unsupported value: "purple": supported values: "red", "green", "blue"\n');
      });

      it('shows a change with diff and applies it with --dry-run=server, storing nothing', async () => {
        await kWithInput(widgetYAML('planned'), 'apply', '-f', '-');
        const changed = widgetYAML('planned').replace('size: 3', 'size: 9');
        const diff = await kubectl.run(['diff', '-f', '-'], { input: changed });
        assert.equal(diff.code, 1, `kubectl diff exits 1 when something differs:\n${diff.stderr}`);
        assert.equal(diff.stderr, '');
        assert.deepEqual(changedLines(diff.stdout), [
          '-  generation: 1',
          '+  generation: 2',
          '-  size: 3',
          '+  size: 9',
        ]);
        assert.equal(await kWithInput(changed, 'apply', '--dry-run=server', '-f', '-'), 'widget.e2e.example.com/planned configured (server dry run)\n');
        assert.equal(await kWithInput(widgetYAML('unplanned'), 'apply', '--dry-run=server', '-f', '-'), 'widget.e2e.example.com/unplanned created (server dry run)\n');
        assert.equal(await k('get', 'widget', 'planned', '-o', 'jsonpath={.spec.size}'), '3');
        assert.equal((await kubectl.fails(['get', 'widget', 'unplanned'])).stderr, 'Error from server (NotFound): widgets.e2e.example.com "unplanned" not found\n');
        assert.equal((await kubectl.run(['diff', '-f', '-'], { input: widgetYAML('planned') })).code, 0, 'no difference, exit 0');
      });

      it('watches with get -w and sees a later change', async () => {
        await kWithInput(widgetYAML('watched'), 'create', '-f', '-');
        const watch = kubectl.start(['get', 'widgets', '-w', '--output-watch-events']);
        try {
          await eventually(() => assert.match(watch.output(), /ADDED\s+watched/));
          await k('patch', 'widget', 'watched', '--type=merge', '-p', '{"spec":{"size":42}}');
          await eventually(() => assert.match(watch.output(), /MODIFIED\s+watched\s+42\s+red/));
          assertNoWarnings(watch.output());
        } finally {
          watch.stop();
        }
      });

      it('refuses a replace with a stale resourceVersion', async () => {
        await kWithInput(widgetYAML('replaced'), 'create', '-f', '-');
        const current = YAML.parse(await k('get', 'widget', 'replaced', '-o', 'yaml'));
        await k('label', 'widget', 'replaced', 'tier=web');
        current.spec.size = 9;
        const result = await kubectl.fails(['replace', '-f', '-'], { input: YAML.stringify(current) });
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

      it('edits an object in the editor KUBE_EDITOR names', async () => {
        await kWithInput(widgetYAML('edited'), 'create', '-f', '-');
        const dir = mkdtempSync(path.join(os.tmpdir(), 'kube-editor-'));
        try {
          const editor = path.join(dir, 'editor.sh');
          writeFileSync(editor, `#!/bin/sh\nsed -i -e 's/^  size: 3$/  size: 6/' -e 's/^  color: red$/  color: green/' "$1"\n`, { mode: 0o755 });
          assert.equal(await kubectl.ok(['edit', 'widget', 'edited'], { env: { KUBE_EDITOR: editor } }), 'widget.e2e.example.com/edited edited\n');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        const obj = JSON.parse(await k('get', 'widget', 'edited', '-o', 'json'));
        assert.deepEqual([obj.spec.size, obj.spec.color, obj.metadata.generation], [6, 'green', 2]);
      });

      it('scales through the scale subresource, refusing a wrong --current-replicas', async () => {
        await kWithInput(widgetYAML('scaled'), 'create', '-f', '-');
        assert.equal(await k('scale', 'widget', 'scaled', '--replicas=3'), 'widget.e2e.example.com/scaled scaled\n');
        assert.equal(await k('get', 'widget', 'scaled', '-o', 'jsonpath={.spec.replicas}'), '3');
        assert.equal(await k('scale', 'widget', 'scaled', '--current-replicas=3', '--replicas=5'), 'widget.e2e.example.com/scaled scaled\n');
        const refused = await kubectl.fails(['scale', 'widget', 'scaled', '--current-replicas=3', '--replicas=7']);
        assert.equal(refused.stderr, 'error: Expected replicas to be 3, was 5\n');
        assert.equal(await k('get', 'widget', 'scaled', '-o', 'jsonpath={.spec.replicas} {.metadata.generation}'), '5 3');
      });

      it('waits for a condition and for a deletion', async () => {
        await kWithInput(widgetYAML('awaited'), 'create', '-f', '-');
        const ready = kubectl.start(['wait', 'widget/awaited', '--for=condition=Ready', '--timeout=30s']);
        try {
          await new Promise((resolve) => setTimeout(resolve, 300));
          const condition = { type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z', reason: 'Assembled', message: 'all parts fitted' };
          await k('patch', 'widget', 'awaited', '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [condition] } }));
          assert.equal(await ready.exited, 0, ready.output());
          assert.equal(ready.output(), 'widget.e2e.example.com/awaited condition met\n');
        } finally {
          ready.stop();
        }
        // At -v=6 kubectl logs its requests: the object is deleted only once the wait watches it.
        const gone = kubectl.start(['wait', 'widget/awaited', '--for=delete', '--timeout=30s', '-v=6']);
        try {
          await eventually(() => assert.match(gone.output(), /watch=true/));
          await k('delete', 'widget', 'awaited', '--wait=false');
          assert.equal(await gone.exited, 0, gone.output());
          assert.match(gone.output(), /^widget\.e2e\.example\.com\/awaited condition met$/m);
          assertNoWarnings(gone.output());
        } finally {
          gone.stop();
        }
      });

      it('gets every resource of a category', async () => {
        await k('create', 'namespace', 'toybox');
        await kWithInput(widgetYAML('teddy'), 'create', '-n', 'toybox', '-f', '-');
        assert.equal(ageless(await k('get', 'toys', '-n', 'toybox')), 'NAME    SIZE   COLOR   AGE\nteddy   3      red     <age>\n');
        assert.equal(await k('get', 'all', '-n', 'toybox', '-o', 'name'), 'widget.e2e.example.com/teddy\n');
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

      it('pages through 25 objects with --chunk-size=10', async () => {
        await k('create', 'namespace', 'paging');
        // Created over HTTP: kubectl's client-side rate limit would make this the slowest step.
        const client = new RawClient(server.kubeconfig);
        await Promise.all(
          Array.from({ length: 25 }, async (_, i) => {
            const res = await client.request('POST', '/apis/e2e.example.com/v1/namespaces/paging/widgets', { body: JSON.stringify(YAML.parse(widgetYAML(`w${String(i).padStart(2, '0')}`))) });
            assert.equal(res.status, 201, res.body);
          }),
        );
        const result = await kubectl.run(['get', 'widgets', '-n', 'paging', '--chunk-size=10', '-o', 'name', '-v=6']);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout.trim().split('\n').length, 25);
        const pages = result.stderr.match(/GET https:\/\/[^ ]*\/widgets\?[^ ]*limit=10|verb="GET" url="[^"]*\/widgets\?[^"]*limit=10/g) ?? [];
        assert.equal(pages.length, 3, `expected 3 page requests, saw:\n${pages.join('\n')}`);
      });

      it('deletes, and delete --wait waits for finalizers', async () => {
        await kWithInput(widgetYAML('gone'), 'create', '-f', '-');
        assert.equal(await k('delete', 'widget', 'gone'), 'widget.e2e.example.com "gone" deleted\n');
        const missing = await kubectl.fails(['get', 'widget', 'gone']);
        assert.equal(missing.stderr, 'Error from server (NotFound): widgets.e2e.example.com "gone" not found\n');

        await kWithInput(widgetYAML('held', { metadata: { name: 'held', finalizers: ['e2e.example.com/hold'] } }), 'create', '-f', '-');
        const deletion = kubectl.start(['delete', 'widget', 'held', '--wait=true', '--timeout=30s']);
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
          assert.equal(deletion.output(), 'widget.e2e.example.com "held" deleted\n');
        } finally {
          deletion.stop();
        }
      });

      it('creates a namespace; kubectl 1.32 and later send it as protobuf', async () => {
        const result = await kubectl.run(['create', 'namespace', 'generated', '-v=8']);
        assert.equal(result.code, 0, result.stderr);
        assert.equal(result.stdout, 'namespace/generated created\n');
        const protobufBody = /Content-Type: application\/vnd\.kubernetes\.protobuf/.test(result.stderr);
        assert.equal(protobufBody, minor >= 32, `request body as protobuf: ${protobufBody}`);
        const ns = JSON.parse(await k('get', 'namespace', 'generated', '-o', 'json'));
        assert.equal(ns.status.phase, 'Active');
        assert.deepEqual(ns.spec.finalizers, ['kubernetes']);
      });

      it('creates a namespace, refuses content in a missing one, and deletes a namespace with its content', async () => {
        assert.equal(await k('create', 'namespace', 'team-a'), 'namespace/team-a created\n');
        await kWithInput(widgetYAML('in-a'), 'create', '-n', 'team-a', '-f', '-');
        const refused = await kubectl.fails(['create', '-n', 'nowhere', '-f', '-'], { input: widgetYAML('lost') });
        assert.match(refused.stderr, /namespaces "nowhere" not found/);
        assert.equal(await k('delete', 'namespace', 'team-a', '--timeout=30s'), 'namespace "team-a" deleted\n');
        const gone = await kubectl.ok(['get', 'widgets', '-n', 'team-a', '-o', 'name'], { stderr: /^No resources found in team-a namespace\.$/ });
        assert.equal(gone, '');
      });
    });
  }
}
