/**
 * What a CRD's schema and names decide beyond types, with the real kubectl: CEL
 * validation rules (messages, field paths, reasons, transition rules), a root
 * that keeps unknown fields, the list kind, selectable fields in field
 * selectors, the storage version hash of every served version, and the patch
 * types published and taken for custom resources.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { eventually, kubectl, runKubectl, startKubectl } from '../support/kubectl';
import { RawClient } from '../support/raw-client';
import { yaml } from './crd-fixtures';
import { startTestServer, type TestServer } from './server-harness';

type Plain = Record<string, unknown>;

const GROUP = 'toys.example.com';

function gadgetSchema(): Plain {
  return {
    type: 'object',
    'x-kubernetes-preserve-unknown-fields': true,
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': [
          { rule: 'self.minReplicas <= self.replicas', message: 'replicas must not be below minReplicas' },
          { rule: "!has(self.color) || self.color != 'red' || self.replicas <= 3", messageExpression: "'red gadgets run at most 3 replicas, not ' + string(self.replicas)", fieldPath: '.replicas' },
        ],
        properties: {
          replicas: { type: 'integer', default: 1 },
          minReplicas: { type: 'integer', default: 0 },
          color: { type: 'string', enum: ['red', 'blue', 'green'] },
          mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'mode is immutable', reason: 'FieldValueForbidden' }] },
        },
      },
      status: { type: 'object', properties: { replicas: { type: 'integer' } } },
    },
  };
}

function gadgetCRD(schema: Plain = gadgetSchema()): Plain {
  const version = (name: string, storage: boolean) => ({
    name,
    served: true,
    storage,
    schema: { openAPIV3Schema: schema },
    subresources: { status: {}, scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' } },
    selectableFields: [{ jsonPath: '.spec.color' }],
  });
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `gadgets.${GROUP}` },
    spec: {
      group: GROUP,
      scope: 'Namespaced',
      names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget', listKind: 'GadgetCollection' },
      versions: [version('v1', true), version('v1beta1', false)],
    },
  };
}

const gadget = (name: string, spec: Plain, extra: Plain = {}): Plain => ({ apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name }, spec, ...extra });

describe('e2e: CRD validation rules, selectable fields and names', function () {
  this.timeout(60_000);
  let server: TestServer;
  let raw: RawClient;
  const k = (...args: string[]) => kubectl(args, { kubeconfig: server.kubeconfig });
  const attempt = (args: string[], input?: string) => runKubectl(args, { kubeconfig: server.kubeconfig, input });
  const apply = (...docs: unknown[]) => attempt(['apply', '-f', '-'], yaml(...docs));
  const getJSON = async (path: string) => {
    const res = await raw.request('GET', path);
    assert.equal(res.status, 200, res.body);
    return JSON.parse(res.body) as Plain;
  };

  before(async () => {
    server = await startTestServer('sqlite', () => undefined);
    raw = new RawClient(server.kubeconfig);
    const created = await apply(gadgetCRD());
    assert.equal(created.code, 0, created.stderr);
    await k('wait', '--for=condition=Established', '--timeout=20s', `crd/gadgets.${GROUP}`);
  });
  after(async () => {
    await server?.stop();
  });

  it('refuses a CRD whose rule does not compile, with the rule and the compiler error', async () => {
    const schema = gadgetSchema();
    ((schema.properties as Plain).spec as Plain)['x-kubernetes-validations'] = [{ rule: 'self.replicas >' }, { rule: 'self.replicas', reason: 'Broken' }];
    const result = await apply({ ...gadgetCRD(schema), metadata: { name: `gadgets.${GROUP}` } });
    assert.notEqual(result.code, 0);
    const rules = 'spec.versions\\[0\\].schema.openAPIV3Schema.properties\\[spec\\].x-kubernetes-validations';
    assert.match(result.stderr, new RegExp(`${rules}\\[0\\].rule: Invalid value: "self.replicas >": compilation failed: `));
    assert.match(result.stderr, new RegExp(`${rules}\\[1\\].reason: Unsupported value: "Broken": supported values: "FieldValueInvalid", "FieldValueForbidden", "FieldValueRequired", "FieldValueDuplicate"`));
    const kept = JSON.parse(await k('get', 'crd', `gadgets.${GROUP}`, '-o', 'json'));
    assert.equal(kept.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'].length, 2, 'the served CRD is unchanged');
  });

  it('creates objects that satisfy the rules and refuses others with the rule\'s message at its field', async () => {
    assert.equal((await apply(gadget('small', { replicas: 2, minReplicas: 1, color: 'red', mode: 'fast' }))).code, 0);
    const below = await apply(gadget('below', { replicas: 1, minReplicas: 2 }));
    assert.notEqual(below.code, 0);
    assert.match(below.stderr, /The Gadget "below" is invalid: spec: Invalid value: "object": replicas must not be below minReplicas/);
    const red = await apply(gadget('red', { replicas: 5, color: 'red' }));
    assert.match(red.stderr, /spec\.replicas: Invalid value: "object": red gadgets run at most 3 replicas, not 5/);
    assert.equal((await attempt(['get', 'gadget', 'below'])).code, 1, 'nothing is stored');
  });

  it('checks rules on every write: merge patch, scale and transition rules against the old object', async () => {
    const scaled = await attempt(['scale', 'gadget', 'small', '--replicas=6']);
    assert.notEqual(scaled.code, 0);
    assert.match(scaled.stderr, /red gadgets run at most 3 replicas, not 6/);
    const mode = await attempt(['patch', 'gadget', 'small', '--type=merge', '-p', '{"spec":{"mode":"slow"}}']);
    assert.notEqual(mode.code, 0);
    assert.match(mode.stderr, /spec\.mode: Forbidden: mode is immutable/);
    assert.equal((await attempt(['patch', 'gadget', 'small', '--type=merge', '-p', '{"spec":{"replicas":3}}'])).code, 0, 'the unchanged mode passes');
  });

  it('keeps unknown top-level fields where the schema root preserves them, and still prunes inside spec', async () => {
    const result = await attempt(['apply', '--validate=warn', '-f', '-'], yaml(gadget('open', { replicas: 1, shade: 'dark' }, { notes: { owner: 'team-a', priority: 2 } })));
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /unknown field "spec\.shade"/);
    assert.doesNotMatch(result.stderr, /unknown field "notes/);
    const stored = JSON.parse(await k('get', 'gadget', 'open', '-o', 'json'));
    assert.deepEqual(stored.notes, { owner: 'team-a', priority: 2 });
    assert.equal(stored.spec.shade, undefined);
    const beta = await getJSON(`/apis/${GROUP}/v1beta1/namespaces/default/gadgets/open`);
    assert.deepEqual(beta.notes, { owner: 'team-a', priority: 2 }, 'and in every version');
  });

  it('names lists by the CRD\'s listKind, in responses and in OpenAPI', async () => {
    const list = await getJSON(`/apis/${GROUP}/v1/namespaces/default/gadgets`);
    assert.equal(list.kind, 'GadgetCollection');
    assert.equal(list.apiVersion, `${GROUP}/v1`);
    const openapi = await getJSON(`/openapi/v3/apis/${GROUP}/v1`);
    const schemas = (openapi.components as { schemas: Record<string, Plain> }).schemas;
    assert.deepEqual(schemas['com.example.toys.v1.GadgetCollection']?.['x-kubernetes-group-version-kind'], [{ group: GROUP, version: 'v1', kind: 'GadgetCollection' }]);
    assert.equal(schemas['com.example.toys.v1.GadgetList'], undefined);
  });

  it('selects by the selectable fields in list and watch, answers 400 for other fields, and publishes them in OpenAPI', async () => {
    assert.equal((await apply(gadget('blue', { replicas: 1, color: 'blue' }))).code, 0);
    assert.equal((await k('get', 'gadgets', '--field-selector', 'spec.color=blue', '-o', 'name')).trim(), 'gadget.toys.example.com/blue');
    assert.deepEqual((await k('get', 'gadgets', '--field-selector', 'spec.color!=blue', '-o', 'name')).trim().split('\n'), ['gadget.toys.example.com/open', 'gadget.toys.example.com/small']);
    const unknown = await attempt(['get', 'gadgets', '--field-selector', 'spec.mode=fast']);
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /field label not supported: spec\.mode/);
    const res = await raw.request('GET', `/apis/${GROUP}/v1/namespaces/default/gadgets?fieldSelector=spec.mode%3Dfast`);
    assert.equal(res.status, 400);
    const v3 = (await getJSON(`/openapi/v3/apis/${GROUP}/v1`)).components as { schemas: Record<string, Plain> };
    assert.deepEqual(v3.schemas['com.example.toys.v1.Gadget']['x-kubernetes-selectable-fields'], [{ fieldPath: 'spec.color' }]);
    const v2 = (await getJSON('/openapi/v2')).definitions as Record<string, Plain>;
    assert.deepEqual(v2['com.example.toys.v1.Gadget']['x-kubernetes-selectable-fields'], [{ fieldPath: 'spec.color' }]);
    const watch = startKubectl(['get', 'gadgets', '-w', '--output-watch-events', '--field-selector', 'spec.color=green'], { kubeconfig: server.kubeconfig });
    try {
      await apply(gadget('green', { replicas: 1, color: 'green' }));
      await eventually(() => assert.match(watch.output(), /ADDED\s+green/));
      assert.doesNotMatch(watch.output(), /blue|small|open/);
    } finally {
      watch.stop();
    }
  });

  it('gives every served version the storage version\'s hash in discovery', async () => {
    const expected = createHash('sha256').update(`${GROUP}/v1/Gadget`).digest().subarray(0, 8).toString('base64');
    for (const version of ['v1', 'v1beta1']) {
      const resources = (await getJSON(`/apis/${GROUP}/${version}`)).resources as Plain[];
      assert.equal(resources.find((r) => r.name === 'gadgets')?.storageVersionHash, expected, version);
    }
  });

  it('publishes and takes no strategic merge patch for custom resources, their status and scale included', async () => {
    const base = `/apis/${GROUP}/v1/namespaces/{namespace}/gadgets/{name}`;
    const v2 = (await getJSON('/openapi/v2')).paths as Record<string, { patch: { consumes: string[] } }>;
    const v3 = (await getJSON(`/openapi/v3/apis/${GROUP}/v1`)).paths as Record<string, { patch: { requestBody: { content: Plain } } }>;
    for (const path of [base, `${base}/status`, `${base}/scale`]) {
      assert.deepEqual(v2[path].patch.consumes, ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'], path);
      assert.deepEqual(Object.keys(v3[path].patch.requestBody.content), ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'], path);
    }
    const scale = await raw.request('PATCH', `/apis/${GROUP}/v1/namespaces/default/gadgets/small/scale`, {
      body: '{"spec":{"replicas":2}}',
      contentType: 'application/strategic-merge-patch+json',
    });
    assert.equal(scale.status, 415);
  });
});
