/**
 * Server-side apply and managedFields with the real kubectl (/usr/bin/kubectl and
 * 1.33), on SQLite and on etcd: apply --server-side, a conflict between two managers
 * and --force-conflicts, list-map elements of two managers, fields a manager stops
 * applying, diff --server-side, the migration from client-side apply, and the Update
 * entries of every other write (create, label, patch of status, replace), as
 * `get --show-managed-fields` shows them. Over HTTP,
 * what kubectl does not show: create-on-apply, apply on /status, the 409 Status,
 * PatchOptions errors, the 415 of patch types not served, and the User-Agent as manager.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import YAML from 'yaml';
import { KUBECTL, kubectlVersion } from '../support/kubectl';
import { KubectlSession } from '../support/kubectl-session';
import { RawClient, type RawResponse } from '../support/raw-client';
import { startTestServer, type Backend, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const API_VERSION = 'e2e.example.com/v1';
const WIDGETS = `/apis/${API_VERSION}/namespaces/default/widgets`;
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

function widgetYAML(name: string, spec: object, metadata: object = { labels: { app: 'demo' } }): string {
  return YAML.stringify({ apiVersion: API_VERSION, kind: 'Widget', metadata: { name, ...metadata }, spec });
}

/** The entries with every time checked for its format and left out, so the rest compares exactly. */
function timeless(entries: ManagedFieldsEntry[]): Omit<ManagedFieldsEntry, 'time'>[] {
  return entries.map(({ time, ...entry }) => {
    if (time !== undefined) assert.match(time, TIME);
    return entry;
  });
}

/** The changed lines of a unified diff, without its file headers. */
function changedLines(diff: string): string[] {
  return diff.split('\n').filter((line) => /^[-+]/.test(line) && !/^(---|\+\+\+) /.test(line));
}

const entry = (manager: string, operation: string, fieldsV1: Record<string, unknown>, subresource?: string) => ({
  apiVersion: API_VERSION,
  fieldsType: 'FieldsV1',
  fieldsV1,
  manager,
  operation,
  ...(subresource ? { subresource } : {}),
});

const BOLT = { 'k:{"name":"bolt"}': { '.': {}, 'f:name': {}, 'f:value': {} } };

for (const backend of ['sqlite', 'etcd'] as Backend[]) {
  describe(`e2e: server-side apply (${backend})`, function () {
    this.timeout(60_000);
    let server: TestServer;

    before(async () => {
      server = await startTestServer(backend, (b) => b.withResource([Widget, WidgetV1]));
    });
    after(async () => {
      await server?.stop();
    });

    for (const binary of [KUBECTL, kubectlVersion(33)]) {
      describe(`with ${path.basename(binary)}`, () => {
        let kubectl: KubectlSession;
        /** Object names of their own for each kubectl on the shared server. */
        const named = (name: string) => `${binary === KUBECTL ? 'default' : 'v133'}-${name}`;
        const k = (...args: string[]) => kubectl.ok(args);
        const applyAs = (input: string, ...flags: string[]) => kubectl.ok(['apply', '--server-side', ...flags, '-f', '-'], { input });
        const get = async (name: string) => JSON.parse(await k('get', 'widget', name, '-o', 'json', '--show-managed-fields'));
        const managedFields = async (name: string): Promise<ManagedFieldsEntry[]> => (await get(name)).metadata.managedFields;

        before(() => {
          kubectl = new KubectlSession(binary, server.kubeconfig);
        });
        after(() => kubectl?.close());

        it('applies server-side, creating the object; get shows managedFields only with --show-managed-fields', async () => {
          const name = named('applied');
          const out = await applyAs(widgetYAML(name, { size: 3, color: 'red', parts: [{ name: 'bolt', value: 'm4' }] }));
          assert.equal(out, `widget.e2e.example.com/${name} serverside-applied\n`);
          assert.equal(YAML.parse(await k('get', 'widget', name, '-o', 'yaml')).metadata.managedFields, undefined);
          const shown = YAML.parse(await k('get', 'widget', name, '-o', 'yaml', '--show-managed-fields')).metadata.managedFields;
          assert.deepEqual(timeless(shown), [
            entry('kubectl', 'Apply', { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:color': {}, 'f:parts': BOLT, 'f:size': {} } }),
          ]);
        });

        it('refuses to change what another manager owns, names field and owner, and takes it over with --force-conflicts', async () => {
          const name = named('shared');
          await applyAs(widgetYAML(name, { size: 3, color: 'red', parts: [{ name: 'bolt', value: 'm4' }] }));
          const theirs = widgetYAML(name, { size: 5, parts: [{ name: 'nut', value: 'm6' }] }, {});
          const refused = await kubectl.fails(['apply', '--server-side', '--field-manager=team-b', '-f', '-'], { input: theirs });
          assert.match(refused.stderr, /^error: Apply failed with 1 conflict: conflict with "kubectl": \.spec\.size$/m);
          assert.equal((await get(name)).spec.size, 3, 'a refused apply changes nothing');

          await applyAs(theirs, '--field-manager=team-b', '--force-conflicts');
          const obj = await get(name);
          assert.deepEqual(obj.spec, { size: 5, color: 'red', parts: [{ name: 'bolt', value: 'm4' }, { name: 'nut', value: 'm6' }] });
          assert.deepEqual(timeless(obj.metadata.managedFields), [
            entry('kubectl', 'Apply', { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:color': {}, 'f:parts': BOLT } }),
            entry('team-b', 'Apply', { 'f:spec': { 'f:parts': { 'k:{"name":"nut"}': { '.': {}, 'f:name': {}, 'f:value': {} } }, 'f:size': {} } }),
          ]);

          // kubectl stops applying color and the bolt: nobody else owns them, so they go; team-b's fields stay.
          await applyAs(widgetYAML(name, {}));
          const after = await get(name);
          assert.deepEqual(after.spec, { size: 5, parts: [{ name: 'nut', value: 'm6' }] });
          assert.deepEqual(after.metadata.labels, { app: 'demo' });
          assert.deepEqual(after.metadata.managedFields.map((e: ManagedFieldsEntry) => e.manager).sort(), ['kubectl', 'team-b']);
        });

        it('shows with diff --server-side what an apply would change, and exits 0 when nothing would', async () => {
          const name = named('diffed');
          const manifest = widgetYAML(name, { size: 3, color: 'red' });
          await applyAs(manifest);
          const same = await kubectl.run(['diff', '--server-side', '-f', '-'], { input: manifest });
          assert.equal(same.code, 0, `${same.stdout}${same.stderr}`);
          const changed = await kubectl.run(['diff', '--server-side', '-f', '-'], { input: widgetYAML(name, { size: 3, color: 'blue' }) });
          assert.equal(changed.code, 1, `kubectl diff exits 1 when something differs:\n${changed.stderr}`);
          assert.equal(changed.stderr, '');
          assert.deepEqual(changedLines(changed.stdout), ['-  generation: 1', '+  generation: 2', '-  color: red', '+  color: blue']);
          assert.equal((await get(name)).spec.color, 'red', 'diff stores nothing');
        });

        it('migrates from client-side apply as kubectl does: apply, then apply --server-side with a change', async () => {
          const name = named('migrated');
          await kubectl.ok(['apply', '-f', '-'], { input: widgetYAML(name, { size: 3, color: 'red' }) });
          assert.deepEqual((await managedFields(name)).map((e) => `${e.manager}/${e.operation}`), ['kubectl-client-side-apply/Update']);
          await applyAs(widgetYAML(name, { size: 5, color: 'red' }));
          const obj = await get(name);
          assert.equal(obj.spec.size, 5);
          assert.deepEqual(timeless(obj.metadata.managedFields), [
            entry('kubectl-last-applied', 'Apply', { 'f:metadata': { 'f:annotations': { 'f:kubectl.kubernetes.io/last-applied-configuration': {} } } }),
            entry('kubectl', 'Apply', { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:color': {}, 'f:size': {} } }),
          ]);
          const lastApplied = JSON.parse(obj.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
          assert.deepEqual(lastApplied.spec, { color: 'red', size: 5 }, 'the annotation follows what was applied');
        });

        it('records every other write as an Update by its manager, with the status subresource named', async () => {
          const name = named('updated');
          await kubectl.ok(['create', '-f', '-'], { input: widgetYAML(name, { size: 3, parts: [{ name: 'bolt' }] }) });
          await k('label', 'widget', name, 'tier=web');
          await k('patch', 'widget', name, '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Ready"}}');
          assert.deepEqual(timeless(await managedFields(name)), [
            entry('kubectl-create', 'Update', {
              'f:metadata': { 'f:labels': { '.': {}, 'f:app': {} } },
              'f:spec': { '.': {}, 'f:parts': { '.': {}, 'k:{"name":"bolt"}': { '.': {}, 'f:name': {} } }, 'f:size': {} },
            }),
            entry('kubectl-label', 'Update', { 'f:metadata': { 'f:labels': { 'f:tier': {} } } }),
            entry('kubectl-patch', 'Update', { 'f:status': { '.': {}, 'f:phase': {} } }, 'status'),
          ]);
        });

        it('records a replace (PUT) as an Update by kubectl-replace, which takes what it changed from the applier', async () => {
          const name = named('replaced');
          await applyAs(widgetYAML(name, { size: 3, color: 'red' }));
          const obj = JSON.parse(await k('get', 'widget', name, '-o', 'json'));
          obj.spec.size = 4;
          assert.equal(await kubectl.ok(['replace', '-f', '-'], { input: JSON.stringify(obj) }), `widget.e2e.example.com/${name} replaced\n`);
          assert.deepEqual(timeless(await managedFields(name)), [
            entry('kubectl', 'Apply', { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:color': {} } }),
            entry('kubectl-replace', 'Update', { 'f:spec': { 'f:size': {} } }),
          ]);
        });

        it('applies server-side to the core namespaces too', async () => {
          const name = named('ns');
          const out = await kubectl.ok(['apply', '--server-side', '-f', '-'], { input: YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { team: 'a' } } }) });
          assert.equal(out, `namespace/${name} serverside-applied\n`);
          const ns = JSON.parse(await k('get', 'namespace', name, '-o', 'json', '--show-managed-fields'));
          assert.deepEqual(timeless(ns.metadata.managedFields), [{ ...entry('kubectl', 'Apply', { 'f:metadata': { 'f:labels': { 'f:team': {} } } }), apiVersion: 'v1' }]);
        });
      });
    }

    describe('over HTTP', () => {
      let client: RawClient;
      const config = (name: string, extra: object = {}) => JSON.stringify({ apiVersion: API_VERSION, kind: 'Widget', metadata: { name }, ...extra });
      const applyPatch = (urlPath: string, body: string, query = 'fieldManager=tester') =>
        client.request('PATCH', `${urlPath}?${query}`, { body, contentType: 'application/apply-patch+yaml' });
      const json = (res: RawResponse) => JSON.parse(res.body);

      before(() => {
        client = new RawClient(server.kubeconfig);
      });

      it('creates a missing object with 201, then answers 200; an apply that changes nothing writes nothing', async () => {
        const body = config('http-created', { spec: { size: 1 } });
        const created = await applyPatch(`${WIDGETS}/http-created`, body);
        assert.equal(created.status, 201, created.body);
        const again = await applyPatch(`${WIDGETS}/http-created`, body);
        assert.equal(again.status, 200, again.body);
        assert.equal(json(again).metadata.resourceVersion, json(created).metadata.resourceVersion);
        const yaml = await applyPatch(`${WIDGETS}/http-created`, YAML.stringify({ apiVersion: API_VERSION, kind: 'Widget', metadata: { name: 'http-created' }, spec: { size: 2 } }));
        assert.equal(json(yaml).spec.size, 2, 'the body may be YAML');
      });

      it('answers a dry-run apply as the apply would, storing nothing', async () => {
        const dryCreate = await applyPatch(`${WIDGETS}/http-dry`, config('http-dry', { spec: { size: 1 } }), 'fieldManager=tester&dryRun=All');
        assert.equal(dryCreate.status, 201, dryCreate.body);
        assert.equal(json(dryCreate).metadata.managedFields[0].manager, 'tester');
        assert.equal((await client.request('GET', `${WIDGETS}/http-dry`)).status, 404);
        await applyPatch(`${WIDGETS}/http-dry`, config('http-dry', { spec: { size: 1 } }));
        const dryUpdate = await applyPatch(`${WIDGETS}/http-dry`, config('http-dry', { spec: { size: 2 } }), 'fieldManager=other&force=true&dryRun=All');
        assert.equal(dryUpdate.status, 200, dryUpdate.body);
        assert.deepEqual(json(dryUpdate).metadata.managedFields.map((e: ManagedFieldsEntry) => e.manager), ['other']);
        const stored = json(await client.request('GET', `${WIDGETS}/http-dry`));
        assert.deepEqual([stored.spec.size, stored.metadata.managedFields.map((e: ManagedFieldsEntry) => e.manager)], [1, ['tester']]);
      });

      it('applies to /status: the entry names the subresource, and spec does not change there', async () => {
        await applyPatch(`${WIDGETS}/http-status`, config('http-status', { spec: { size: 1 } }));
        const res = await applyPatch(`${WIDGETS}/http-status/status`, config('http-status', { spec: { size: 9 }, status: { phase: 'Running' } }), 'fieldManager=controller');
        assert.equal(res.status, 200, res.body);
        const obj = json(res);
        assert.deepEqual([obj.spec, obj.status], [{ size: 1 }, { phase: 'Running' }]);
        const status = obj.metadata.managedFields.find((e: ManagedFieldsEntry) => e.manager === 'controller');
        assert.deepEqual(timeless([status]), [entry('controller', 'Apply', { 'f:status': { 'f:phase': {} } }, 'status')]);
        const missing = await applyPatch(`${WIDGETS}/http-nothing/status`, config('http-nothing', { status: { phase: 'x' } }));
        assert.equal(missing.status, 404, 'apply creates through the resource, never through /status');
      });

      it('answers a conflict with a 409 Status listing each field and its manager', async () => {
        await applyPatch(`${WIDGETS}/http-conflict`, config('http-conflict', { spec: { size: 1, color: 'red' } }), 'fieldManager=first');
        const res = await applyPatch(`${WIDGETS}/http-conflict`, config('http-conflict', { spec: { size: 2, color: 'blue' } }), 'fieldManager=second&force=false');
        assert.equal(res.status, 409);
        assert.deepEqual(json(res), {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'Apply failed with 2 conflicts: conflicts with "first":\n- .spec.color\n- .spec.size',
          reason: 'Conflict',
          details: {
            causes: [
              { reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.spec.color' },
              { reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.spec.size' },
            ],
          },
          code: 409,
        });
      });

      it('requires fieldManager for apply and refuses force elsewhere (422 PatchOptions)', async () => {
        const missing = await applyPatch(`${WIDGETS}/http-options`, config('http-options'), 'force=true');
        assert.equal(missing.status, 422);
        assert.equal(json(missing).message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
        const forced = await client.request('PATCH', `${WIDGETS}/http-options?force=true`, { body: '{}', contentType: 'application/merge-patch+json' });
        assert.equal(forced.status, 422);
        assert.equal(json(forced).message, 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
      });

      it('answers 415 for apply in CBOR or as +json, listing the patch types served', async () => {
        for (const contentType of ['application/apply-patch+cbor', 'application/apply-patch+json']) {
          const res = await client.request('PATCH', `${WIDGETS}/http-415?fieldManager=tester`, { body: config('http-415'), contentType });
          assert.equal(res.status, 415, contentType);
          assert.equal(
            json(res).message,
            'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
          );
        }
      });

      it('records a write without fieldManager under the User-Agent up to its first /', async () => {
        await applyPatch(`${WIDGETS}/http-agent`, config('http-agent', { spec: { size: 1 } }));
        const res = await client.request('PATCH', `${WIDGETS}/http-agent`, {
          body: '{"spec":{"color":"green"}}',
          contentType: 'application/merge-patch+json',
          headers: { 'user-agent': 'my-controller/v0.3.1 (linux/amd64)' },
        });
        const updater = json(res).metadata.managedFields.find((e: ManagedFieldsEntry) => e.operation === 'Update');
        assert.deepEqual(timeless([updater]), [entry('my-controller', 'Update', { 'f:spec': { 'f:color': {} } })]);
      });
    });
  });
}
