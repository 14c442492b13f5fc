/**
 * managedFields through the scale subresource, on SQLite and on etcd: `kubectl scale`
 * (/usr/bin/kubectl and 1.33)
 * records an Update with subresource scale on the object's own replicas field and takes
 * it over, so a later server-side apply of other replicas conflicts until forced; over
 * HTTP, apply of an autoscaling/v1 Scale to /scale (conflicts, force, co-ownership of
 * an equal value), PUT of the Scale, and writes that leave the replicas alone.
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
const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';
const REPLICAS = { 'f:spec': { 'f:replicas': {} } };

interface ManagedFieldsEntry {
  manager: string;
  operation: string;
  apiVersion: string;
  time?: string;
  fieldsType: string;
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const entry = (manager: string, operation: string, fieldsV1: Record<string, unknown>, subresource?: string) => ({
  apiVersion: API_VERSION,
  fieldsType: 'FieldsV1',
  fieldsV1,
  manager,
  operation,
  ...(subresource ? { subresource } : {}),
});

/** The entries without the times of those written through the resource itself (entries of /scale have none, as in kube-apiserver). */
function withoutResourceTimes(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return entries.map(({ time, ...rest }) => {
    if (rest.subresource === 'scale') assert.equal(time, undefined, `${rest.manager} through /scale carries no time`);
    else assert.match(String(time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    return rest;
  });
}

/** The managers that own spec.replicas, as `manager/Operation[/subresource]`. */
function replicasOwners(entries: ManagedFieldsEntry[]): string[] {
  return entries
    .filter((e) => (e.fieldsV1['f:spec'] as Record<string, unknown> | undefined)?.['f:replicas'] !== undefined)
    .map((e) => [e.manager, e.operation, e.subresource].filter(Boolean).join('/'))
    .sort();
}

const widget = (name: string, spec: object) => ({ apiVersion: API_VERSION, kind: 'Widget', metadata: { name }, spec });
const scale = (name: string, replicas: number) => JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name, namespace: 'default' }, spec: { replicas } });

for (const backend of ['sqlite', 'etcd'] as Backend[]) {
  describe(`e2e: managedFields through /scale (${backend})`, function () {
    this.timeout(60_000);
    let server: TestServer;
    let client: RawClient;
    const json = (res: RawResponse) => JSON.parse(res.body);
    const managedFields = async (name: string): Promise<ManagedFieldsEntry[]> => json(await client.request('GET', `${WIDGETS}/${name}`)).metadata.managedFields;
    const applyTo = (path: string, body: string, query: string) => client.request('PATCH', `${path}?${query}`, { body, contentType: APPLY });

    before(async () => {
      server = await startTestServer(backend, (b) => b.withResource([Widget, WidgetV1]));
      client = new RawClient(server.kubeconfig);
    });
    after(async () => {
      await server?.stop();
    });

    for (const binary of [KUBECTL, kubectlVersion(33)]) {
      describe(`with ${path.basename(binary)}`, () => {
        let kubectl: KubectlSession;
        /** Object names of their own for each kubectl on the shared server. */
        const named = (name: string) => `${binary === KUBECTL ? 'default' : 'v133'}-${name}`;
        /** kubectl names itself by its binary in the User-Agent, and so the manager of its scale. */
        const scaler = path.basename(binary);
        before(() => {
          kubectl = new KubectlSession(binary, server.kubeconfig);
        });
        after(() => kubectl?.close());

        it('kubectl scale takes spec.replicas as an Update through /scale; apply of other replicas then conflicts until forced', async () => {
          const name = named('scaled');
          const manifest = YAML.stringify(widget(name, { size: 1, replicas: 1 }));
          await kubectl.ok(['apply', '--server-side', '-f', '-'], { input: manifest });
          assert.equal(await kubectl.ok(['scale', 'widget', name, '--replicas=3']), `widget.e2e.example.com/${name} scaled\n`);

          const shown = YAML.parse(await kubectl.ok(['get', 'widget', name, '-o', 'yaml', '--show-managed-fields']));
          assert.equal(shown.spec.replicas, 3);
          assert.deepEqual(withoutResourceTimes(shown.metadata.managedFields), [
            entry('kubectl', 'Apply', { 'f:spec': { 'f:size': {} } }),
            entry(scaler, 'Update', REPLICAS, 'scale'),
          ]);

          const refused = await kubectl.fails(['apply', '--server-side', '-f', '-'], { input: manifest });
          assert.equal(
            refused.stderr.split('\n')[0],
            `error: Apply failed with 1 conflict: conflict with "${scaler}" with subresource "scale" using e2e.example.com/v1: .spec.replicas`,
          );
          assert.equal(json(await client.request('GET', `${WIDGETS}/${name}`)).spec.replicas, 3, 'a refused apply changes nothing');

          await kubectl.ok(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: manifest });
          const taken = json(await client.request('GET', `${WIDGETS}/${name}`));
          assert.equal(taken.spec.replicas, 1);
          assert.deepEqual(withoutResourceTimes(taken.metadata.managedFields), [entry('kubectl', 'Apply', { 'f:spec': { 'f:replicas': {}, 'f:size': {} } })]);
        });

        it('kubectl scale of an object made by client-side apply takes the replicas from kubectl-client-side-apply', async () => {
          const name = named('scaled-csa');
          await kubectl.ok(['apply', '-f', '-'], { input: YAML.stringify(widget(name, { size: 1, replicas: 1 })) });
          await kubectl.ok(['scale', 'widget', name, '--replicas=2']);
          const entries = await managedFields(name);
          assert.deepEqual(replicasOwners(entries), [`${scaler}/Update/scale`]);
          const csa = entries.find((e) => e.manager === 'kubectl-client-side-apply') as ManagedFieldsEntry;
          assert.deepEqual(csa.fieldsV1['f:spec'], { '.': {}, 'f:size': {} });
        });
      });
    }

    describe('over HTTP', () => {
      it('applies a Scale: a conflict names the owner of the replicas, force takes them, an equal value shares them', async () => {
        const created = await applyTo(`${WIDGETS}/applied`, JSON.stringify(widget('applied', { size: 1, replicas: 1 })), 'fieldManager=apply_test');
        assert.equal(created.status, 201, created.body);

        const conflict = await applyTo(`${WIDGETS}/applied/scale`, scale('applied', 17), 'fieldManager=apply_scale');
        assert.equal(conflict.status, 409, conflict.body);
        assert.deepEqual(json(conflict).details, {
          causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "apply_test"', field: '.spec.replicas' }],
        });
        assert.equal(json(conflict).message, 'Apply failed with 1 conflict: conflict with "apply_test": .spec.replicas');

        const forced = await applyTo(`${WIDGETS}/applied/scale`, scale('applied', 17), 'fieldManager=apply_scale&force=true');
        assert.equal(forced.status, 200, forced.body);
        assert.deepEqual([json(forced).kind, json(forced).spec], ['Scale', { replicas: 17 }]);
        assert.equal(json(forced).metadata.managedFields, undefined, 'a Scale shows no managedFields');
        assert.deepEqual(withoutResourceTimes(await managedFields('applied')), [
          entry('apply_scale', 'Apply', REPLICAS, 'scale'),
          entry('apply_test', 'Apply', { 'f:spec': { 'f:size': {} } }),
        ]);

        const put = await client.request('PUT', `${WIDGETS}/applied/scale?fieldManager=replace_test`, { body: scale('applied', 7) });
        assert.equal(put.status, 200, put.body);
        assert.deepEqual(replicasOwners(await managedFields('applied')), ['replace_test/Update/scale']);
        const updaterConflict = await applyTo(`${WIDGETS}/applied/scale`, scale('applied', 8), 'fieldManager=co_owning_test');
        assert.equal(updaterConflict.status, 409, updaterConflict.body);
        assert.equal(json(updaterConflict).message, 'Apply failed with 1 conflict: conflict with "replace_test" with subresource "scale" using autoscaling/v1: .spec.replicas');

        const shared = await applyTo(`${WIDGETS}/applied/scale`, scale('applied', 7), 'fieldManager=co_owning_test');
        assert.equal(shared.status, 200, shared.body);
        assert.deepEqual(replicasOwners(await managedFields('applied')), ['co_owning_test/Apply/scale', 'replace_test/Update/scale']);

        const scaled = await client.request('PATCH', `${WIDGETS}/applied/scale?fieldManager=scale_test`, { body: '{"spec":{"replicas":5}}', contentType: MERGE });
        assert.equal(scaled.status, 200, scaled.body);
        const widgetNow = json(await client.request('GET', `${WIDGETS}/applied`));
        assert.equal(widgetNow.spec.replicas, 5);
        assert.deepEqual(replicasOwners(widgetNow.metadata.managedFields), ['scale_test/Update/scale']);
      });

      it('keeps the owners of the replicas when a write through /scale leaves them as they are', async () => {
        await applyTo(`${WIDGETS}/kept`, JSON.stringify(widget('kept', { size: 1, replicas: 2 })), 'fieldManager=apply_test');
        const before = await managedFields('kept');
        const statusOnly = await client.request('PATCH', `${WIDGETS}/kept/scale?fieldManager=scale_test`, { body: '{"status":{"replicas":42}}', contentType: MERGE });
        assert.equal(statusOnly.status, 200, statusOnly.body);
        const same = await client.request('PATCH', `${WIDGETS}/kept/scale?fieldManager=scale_test`, { body: '{"spec":{"replicas":2}}', contentType: MERGE });
        assert.equal(same.status, 200, same.body);
        assert.deepEqual(await managedFields('kept'), before);
      });

      it('takes the replicas of an object created without them', async () => {
        await applyTo(`${WIDGETS}/unset`, JSON.stringify(widget('unset', { size: 1 })), 'fieldManager=apply_test');
        const res = await client.request('PATCH', `${WIDGETS}/unset/scale`, {
          body: '{"spec":{"replicas":4}}',
          contentType: MERGE,
          headers: { 'user-agent': 'autoscaler/v2 (linux/amd64)' },
        });
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(replicasOwners(await managedFields('unset')), ['autoscaler/Update/scale']);
      });

      it('leaves an object whose managedFields were cleared untracked', async () => {
        await applyTo(`${WIDGETS}/untracked`, JSON.stringify(widget('untracked', { size: 1, replicas: 1 })), 'fieldManager=apply_test');
        const cleared = await client.request('PATCH', `${WIDGETS}/untracked`, { body: '{"metadata":{"managedFields":[{}]}}', contentType: MERGE });
        assert.equal(json(cleared).metadata.managedFields, undefined, cleared.body);
        const scaled = await client.request('PATCH', `${WIDGETS}/untracked/scale?fieldManager=scale_test`, { body: '{"spec":{"replicas":3}}', contentType: MERGE });
        assert.equal(scaled.status, 200, scaled.body);
        const obj = json(await client.request('GET', `${WIDGETS}/untracked`));
        assert.deepEqual([obj.spec.replicas, obj.metadata.managedFields], [3, undefined]);
      });

      it('refuses apply to /scale without fieldManager (422), of another kind (400), and of a missing object (404)', async () => {
        await applyTo(`${WIDGETS}/refusals`, JSON.stringify(widget('refusals', { size: 1, replicas: 1 })), 'fieldManager=apply_test');
        const noManager = await applyTo(`${WIDGETS}/refusals/scale`, scale('refusals', 2), 'force=true');
        assert.equal(noManager.status, 422);
        assert.equal(json(noManager).message, 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
        const wrongKind = await applyTo(`${WIDGETS}/refusals/scale`, JSON.stringify(widget('refusals', { replicas: 2 })), 'fieldManager=m');
        assert.equal(wrongKind.status, 400);
        assert.equal(json(wrongKind).message, 'invalid object type: e2e.example.com/v1, Kind=Widget');
        const missing = await applyTo(`${WIDGETS}/nothing/scale`, scale('nothing', 2), 'fieldManager=m');
        assert.equal(missing.status, 404);
        assert.equal(json(await client.request('GET', `${WIDGETS}/refusals`)).spec.replicas, 1);
      });
    });
  });
}
