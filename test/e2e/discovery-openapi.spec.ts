/**
 * Discovery and OpenAPI over HTTP, as kubectl and kube-aggregator ask for them:
 * aggregated discovery in v2 and v2beta1 beside the legacy documents, ETags and
 * 304s, OpenAPI v2 as JSON and as gnostic protobuf, OpenAPI v3 by hash.
 */
import assert from 'node:assert/strict';
import { Field, Hub, KubeObject, Resource } from '../../src/index';
import { RawClient } from '../support/raw-client';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';
/** What kubectl 1.30 and later send; 1.27 to 1.29 leave out the v2 clause. */
const KUBECTL_ACCEPT = `${V2},${V2BETA1},application/json`;
const KUBECTL_127_ACCEPT = `${V2BETA1},application/json`;
const PROTOBUF_V2 = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const WIDGETS_DISCOVERY = {
  resource: 'widgets',
  responseKind: { group: 'e2e.example.com', version: 'v1', kind: 'Widget' },
  scope: 'Namespaced',
  singularResource: 'widget',
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
  shortNames: ['wd'],
  categories: ['all', 'toys'],
  subresources: [
    { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
    { subresource: 'status', responseKind: { group: 'e2e.example.com', version: 'v1', kind: 'Widget' }, verbs: ['get', 'patch', 'update'] },
  ],
};

/** Described by its schema alone, like a custom resource: no strategic merge patch. */
@Hub({ group: 'e2e.example.com', kind: 'Gadget' })
class Gadget extends KubeObject {
  @Field(() => Object, { preserveUnknownFields: true })
  spec?: Record<string, unknown>;
}

@Resource({ group: 'e2e.example.com', version: 'v1', kind: 'Gadget', plural: 'gadgets', scope: 'Cluster', strategicMergePatch: false })
class GadgetV1 extends Gadget {}

const GADGETS_DISCOVERY = {
  resource: 'gadgets',
  responseKind: { group: 'e2e.example.com', version: 'v1', kind: 'Gadget' },
  scope: 'Cluster',
  singularResource: 'gadget',
  verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
};

interface DiscoveryList {
  apiVersion: string;
  items: { metadata: { name?: string }; versions: { version: string; freshness: string; resources: { resource: string }[] }[] }[];
}

describe('e2e: discovery and OpenAPI over HTTP (sqlite)', function () {
  this.timeout(30_000);
  let server: TestServer;
  let client: RawClient;

  before(async () => {
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]).withResource([Gadget, GadgetV1]));
    client = new RawClient(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  describe('discovery', () => {
    it('answers /apis in aggregated v2 when offered, with the group, its resources and subresources', async () => {
      const res = await client.request('GET', '/apis', { accept: KUBECTL_ACCEPT });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], V2);
      const list = JSON.parse(res.body) as DiscoveryList;
      assert.equal(list.apiVersion, 'apidiscovery.k8s.io/v2');
      assert.ok(list.items.every((g) => g.metadata.name), 'the core group is not in /apis');
      const group = list.items.find((g) => g.metadata.name === 'e2e.example.com');
      assert.deepEqual(group, {
        metadata: { name: 'e2e.example.com', creationTimestamp: null },
        versions: [{ version: 'v1', resources: [GADGETS_DISCOVERY, WIDGETS_DISCOVERY], freshness: 'Current' }],
      });
    });

    it('answers in v2beta1 to kubectl 1.27, and only the core group on /api', async () => {
      const apis = await client.request('GET', '/apis', { accept: KUBECTL_127_ACCEPT });
      assert.equal(apis.headers['content-type'], V2BETA1);
      assert.equal(JSON.parse(apis.body).apiVersion, 'apidiscovery.k8s.io/v2beta1');
      const core = await client.request('GET', '/api', { accept: KUBECTL_127_ACCEPT });
      const list = JSON.parse(core.body) as DiscoveryList;
      assert.equal(list.items.length, 1);
      assert.equal(list.items[0].metadata.name, undefined);
      assert.ok(list.items[0].versions[0].resources.some((r) => r.resource === 'namespaces'));
    });

    it('answers kube-aggregator, which offers only the aggregated types, in v2', async () => {
      const res = await client.request('GET', '/apis', { accept: `${V2},${V2BETA1}` });
      assert.equal(res.headers['content-type'], V2);
    });

    it('keeps the legacy documents for clients that ask for plain JSON, the scale subresource naming its group', async () => {
      const groups = JSON.parse((await client.request('GET', '/apis')).body);
      assert.equal(groups.kind, 'APIGroupList');
      const list = JSON.parse((await client.request('GET', '/apis/e2e.example.com/v1')).body);
      assert.deepEqual(
        list.resources.map((r: { name: string; group?: string; version?: string; kind: string }) => [r.name, r.group, r.version, r.kind]),
        [
          ['gadgets', undefined, undefined, 'Gadget'],
          ['widgets', undefined, undefined, 'Widget'],
          ['widgets/scale', 'autoscaling', 'v1', 'Scale'],
          ['widgets/status', undefined, undefined, 'Widget'],
        ],
      );
      assert.equal(JSON.parse((await client.request('GET', '/api')).body).kind, 'APIVersions');
    });

    it('tags aggregated documents with an ETag per format and answers 304 when it still matches', async () => {
      const first = await client.request('GET', '/apis', { accept: KUBECTL_ACCEPT });
      const etag = first.headers.etag as string;
      assert.match(etag, /^"[0-9a-f]{128}"$/);
      assert.equal(first.headers.vary, 'Accept');
      const again = await client.request('GET', '/apis', { accept: KUBECTL_ACCEPT, headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.body, '');
      const beta = await client.request('GET', '/apis', { accept: KUBECTL_127_ACCEPT, headers: { 'if-none-match': etag } });
      assert.equal(beta.status, 200, 'v2beta1 is another document');
      assert.notEqual(beta.headers.etag, etag);
    });
  });

  describe('OpenAPI', () => {
    it('serves v2 as JSON with the kinds, merge keys, patch types and fieldValidation kubectl reads', async () => {
      const res = await client.request('GET', '/openapi/v2');
      assert.equal(res.status, 200);
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      const doc = JSON.parse(res.body);
      assert.equal(doc.swagger, '2.0');
      const widget = doc.definitions['com.example.e2e.v1.Widget'];
      assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: 'e2e.example.com', version: 'v1', kind: 'Widget' }]);
      assert.equal(widget.description, 'A Widget is a small thing made of parts.');
      assert.equal(widget.properties.spec.properties.parts['x-kubernetes-patch-merge-key'], 'name');
      assert.deepEqual(doc.definitions['com.example.e2e.v1.WidgetList'].properties.items.items, { $ref: '#/definitions/com.example.e2e.v1.Widget' });
      assert.ok(doc.definitions['io.k8s.api.autoscaling.v1.Scale']);

      const item = doc.paths['/apis/e2e.example.com/v1/namespaces/{namespace}/widgets/{name}'];
      assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'e2e.example.com', version: 'v1', kind: 'Widget' });
      assert.equal(item.patch['x-kubernetes-action'], 'patch');
      assert.ok(item.patch.consumes.includes('application/strategic-merge-patch+json'));
      assert.deepEqual(item.patch.parameters.find((p: { name: string }) => p.name === 'fieldValidation'), { name: 'fieldValidation', in: 'query', type: 'string', uniqueItems: true });
      assert.deepEqual(item.put.parameters[0], { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/com.example.e2e.v1.Widget' } });
      const scale = doc.paths['/apis/e2e.example.com/v1/namespaces/{namespace}/widgets/{name}/scale'];
      assert.deepEqual(scale.get.responses['200'].schema, { $ref: '#/definitions/io.k8s.api.autoscaling.v1.Scale' });
      assert.ok(scale.patch.consumes.includes('application/strategic-merge-patch+json'), 'Scale is a built-in kind');
      const gadget = doc.paths['/apis/e2e.example.com/v1/gadgets/{name}'];
      assert.equal(gadget.patch.consumes.includes('application/strategic-merge-patch+json'), false, 'kubectl apply sends a merge patch instead');
    });

    it('serves v2 as gnostic protobuf to kubectl 1.27, under either spelling of the type', async () => {
      for (const accept of [PROTOBUF_V2, 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf']) {
        const res = await client.request('GET', '/openapi/v2', { accept });
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], PROTOBUF_V2);
        // openapi.v2.Document field 1 (swagger) comes first: tag 0x0a, length 3, "2.0".
        assert.deepEqual([...res.bytes.subarray(0, 5)], [0x0a, 0x03, ...Buffer.from('2.0')]);
        const cached = await client.request('GET', '/openapi/v2', { accept, headers: { 'if-none-match': res.headers.etag as string } });
        assert.equal(cached.status, 304);
      }
      assert.equal((await client.request('GET', '/openapi/v2', { accept: 'text/html' })).status, 406);
    });

    it('indexes v3 by group version and serves each document by hash, redirecting a stale hash', async () => {
      const index = JSON.parse((await client.request('GET', '/openapi/v3')).body);
      const url: string = index.paths['apis/e2e.example.com/v1'].serverRelativeURL;
      assert.match(url, /^\/openapi\/v3\/apis\/e2e\.example\.com\/v1\?hash=[0-9A-F]{128}$/);
      assert.ok(index.paths['api/v1']);

      const res = await client.request('GET', url);
      assert.equal(res.status, 200);
      assert.equal(res.headers['cache-control'], 'public, immutable');
      const doc = JSON.parse(res.body);
      assert.equal(doc.openapi, '3.0.0');
      const patch = doc.paths['/apis/e2e.example.com/v1/namespaces/{namespace}/widgets/{name}'].patch;
      assert.ok(patch.parameters.some((p: { name: string; in: string }) => p.name === 'fieldValidation' && p.in === 'query'));
      assert.ok(patch.requestBody.content['application/strategic-merge-patch+json']);
      const scalePatch = doc.paths['/apis/e2e.example.com/v1/namespaces/{namespace}/widgets/{name}/scale'].patch;
      assert.deepEqual(scalePatch['x-kubernetes-group-version-kind'], { group: 'autoscaling', version: 'v1', kind: 'Scale' });

      const stale = await client.request('GET', '/openapi/v3/apis/e2e.example.com/v1?hash=0123');
      assert.equal(stale.status, 301);
      assert.equal(stale.headers.location, url);
      assert.equal((await client.request('GET', url, { headers: { 'if-none-match': res.headers.etag as string } })).status, 304);
      assert.equal((await client.request('GET', '/openapi/v3/apis/nothing.example.com/v1')).status, 404);
    });
  });
});
