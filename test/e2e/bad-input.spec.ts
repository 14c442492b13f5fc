/**
 * Bad input over raw HTTPS, on the embedded SQLite store and on a real etcd: each
 * mistake is answered with the Status kube-apiserver sends, and a refused write
 * leaves what is stored as it was.
 */
import assert from 'node:assert/strict';
import { RawClient, type RawRequestOptions, type RawResponse } from '../support/raw-client';
import { startTestServer, type Backend, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

interface ExpectedStatus {
  code: number;
  reason: string;
  message: string | RegExp;
  details?: Record<string, unknown>;
}

/** The response is exactly this failure Status, as JSON, with the code as HTTP status. */
function assertStatus(res: RawResponse, expected: ExpectedStatus): void {
  assert.equal(res.status, expected.code, res.body);
  assert.match(res.headers['content-type'] ?? '', /^application\/json\b/);
  const { message, ...rest } = JSON.parse(res.body);
  if (expected.message instanceof RegExp) assert.match(message, expected.message);
  else assert.equal(message, expected.message);
  assert.deepEqual(rest, {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    reason: expected.reason,
    code: expected.code,
    ...(expected.details && { details: expected.details }),
  });
}

const GROUP = 'e2e.example.com';
const API_VERSION = `${GROUP}/v1`;
const WIDGETS = `/apis/${GROUP}/v1/namespaces/default/widgets`;
const RFC1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

interface StoredWidget {
  apiVersion: string;
  kind: string;
  metadata: { name: string; uid: string; resourceVersion: string; [field: string]: unknown };
  spec?: Record<string, unknown>;
}

function widget(metadata: Record<string, unknown>, spec: Record<string, unknown> = { size: 1 }, typeMeta = { apiVersion: API_VERSION, kind: 'Widget' }): string {
  return JSON.stringify({ ...typeMeta, metadata, spec });
}

for (const backend of ['sqlite', 'etcd'] as Backend[]) {
  describe(`e2e: bad input gets kube-apiserver's Status (${backend})`, function () {
    this.timeout(30_000);
    let server: TestServer;
    let client: RawClient;
    /** The object every refused update and delete aims at, as created. */
    let existing: StoredWidget;

    before(async () => {
      server = await startTestServer(backend, (b) => b.withResource([Widget, WidgetV1]));
      client = new RawClient(server.kubeconfig);
      const created = await client.request('POST', WIDGETS, { body: widget({ name: 'existing' }) });
      assert.equal(created.status, 201, created.body);
      existing = JSON.parse(created.body);
    });
    after(async () => {
      await server?.stop();
    });

    async function storedWidgets(): Promise<unknown[]> {
      const res = await client.request('GET', WIDGETS);
      assert.equal(res.status, 200, res.body);
      return JSON.parse(res.body).items;
    }

    /** Sends a write that must be refused and checks that nothing stored changed. */
    async function refused(method: string, path: string, opts: RawRequestOptions = {}): Promise<RawResponse> {
      const before = await storedWidgets();
      const res = await client.request(method, path, opts);
      assert.deepEqual(await storedWidgets(), before, `${method} ${path} changed what is stored`);
      return res;
    }

    it('malformed JSON: 400 naming the JSON parse error', async () => {
      const res = await refused('POST', WIDGETS, { body: '{"apiVersion":"e2e.example.com/v1","kind":' });
      assertStatus(res, { code: 400, reason: 'BadRequest', message: /^couldn't get version\/kind; json parse error: \S/ });
    });

    it('malformed YAML: 400 naming the YAML parse error', async () => {
      const res = await refused('POST', WIDGETS, { body: 'apiVersion: e2e.example.com/v1\nmetadata: [name: x\n', contentType: 'application/yaml' });
      assertStatus(res, { code: 400, reason: 'BadRequest', message: /^couldn't get version\/kind; yaml parse error: \S/ });
    });

    it('an apiVersion other than the URL\'s: 400', async () => {
      for (const apiVersion of [`${GROUP}/v2`, 'other.example.com/v1']) {
        const res = await refused('POST', WIDGETS, { body: widget({ name: 'versioned' }, undefined, { apiVersion, kind: 'Widget' }) });
        assertStatus(res, {
          code: 400,
          reason: 'BadRequest',
          message: `the API version in the data (${apiVersion}) does not match the expected API version (${API_VERSION})`,
        });
      }
    });

    it('a kind other than the URL\'s: 400', async () => {
      const body = widget({ name: 'gadget' }, undefined, { apiVersion: API_VERSION, kind: 'Gadget' });
      const res = await refused('POST', WIDGETS, { body });
      assertStatus(res, {
        code: 400,
        reason: 'BadRequest',
        message: `the object provided is unrecognized (must be of type Widget): found kind "Gadget", expected "Widget" (${body})`,
      });
    });

    it('PUT with a name in the body other than the URL\'s: 400, whether or not the URL\'s object exists', async () => {
      assertStatus(await refused('PUT', `${WIDGETS}/existing`, { body: widget({ name: 'other' }) }), {
        code: 400,
        reason: 'BadRequest',
        message: 'the name of the object (other) does not match the name on the URL (existing)',
      });
      assertStatus(await refused('PUT', `${WIDGETS}/missing`, { body: widget({ name: 'existing' }) }), {
        code: 400,
        reason: 'BadRequest',
        message: 'the name of the object (existing) does not match the name on the URL (missing)',
      });
      assertStatus(await refused('PUT', `${WIDGETS}/existing`, { body: widget({}) }), {
        code: 400,
        reason: 'BadRequest',
        message: 'the name of the object (existing based on URL) was undeterminable: name must be provided',
      });
    });

    it('a namespace in the body other than the URL\'s: 400 on create and on update', async () => {
      const expected = { code: 400, reason: 'BadRequest', message: 'the namespace of the provided object does not match the namespace sent on the request' };
      assertStatus(await refused('POST', WIDGETS, { body: widget({ name: 'elsewhere', namespace: 'other' }) }), expected);
      assertStatus(await refused('PUT', `${WIDGETS}/existing`, { body: widget({ name: 'existing', namespace: 'other' }) }), expected);
    });

    it('an invalid name: 422 with the RFC 1123 rule as cause', async () => {
      assertStatus(await refused('POST', WIDGETS, { body: widget({ name: 'Bad_Name' }) }), {
        code: 422,
        reason: 'Invalid',
        message: `Widget.${GROUP} "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}`,
        details: {
          name: 'Bad_Name',
          group: GROUP,
          kind: 'Widget',
          causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}`, field: 'metadata.name' }],
        },
      });
    });

    it('neither name nor generateName: 422', async () => {
      assertStatus(await refused('POST', WIDGETS, { body: widget({ labels: { app: 'x' } }) }), {
        code: 422,
        reason: 'Invalid',
        message: `Widget.${GROUP} "" is invalid: metadata.name: Required value: name or generateName is required`,
        details: {
          group: GROUP,
          kind: 'Widget',
          causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
        },
      });
    });

    it('an unknown resource or group: 404 "the server could not find the requested resource"', async () => {
      const notFound = { code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} };
      assertStatus(await client.request('GET', `/apis/${GROUP}/v1/namespaces/default/gadgets`), notFound);
      assertStatus(await refused('POST', `/apis/${GROUP}/v1/namespaces/default/gadgets`, { body: widget({ name: 'g' }) }), notFound);
      assertStatus(await client.request('GET', `/apis/${GROUP}/v9/namespaces/default/widgets`), notFound);
      assertStatus(await client.request('GET', '/apis/nope.example.com/v1/namespaces/default/widgets'), notFound);
      assertStatus(await client.request('GET', '/apis/nope.example.com'), notFound);
    });

    it('a label selector that does not parse: 400', async () => {
      const res = await client.request('GET', `${WIDGETS}?labelSelector=${encodeURIComponent('a in b')}`);
      assertStatus(res, { code: 400, reason: 'BadRequest', message: "unable to parse requirement: found 'b' expected: '('" });
    });

    it('a field selector on a field the resource does not offer: 400', async () => {
      const res = await client.request('GET', `${WIDGETS}?fieldSelector=${encodeURIComponent('spec.size=1')}`);
      assertStatus(res, { code: 400, reason: 'BadRequest', message: 'field label not supported: spec.size' });
    });

    it('a body over 3 MiB: 413', async () => {
      const body = widget({ name: 'huge', annotations: { filler: 'x'.repeat(3 * 1024 * 1024) } });
      assertStatus(await refused('POST', WIDGETS, { body }), { code: 413, reason: 'RequestEntityTooLarge', message: 'Request entity too large: limit is 3145728' });
    });

    it('a body in a media type the server does not read: 415', async () => {
      assertStatus(await refused('POST', WIDGETS, { body: widget({ name: 'text' }), contentType: 'text/plain' }), {
        code: 415,
        reason: 'UnsupportedMediaType',
        message: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      });
    });

    it('a patch type the server does not apply: 415 listing the patch types served', async () => {
      const xmlPatch = '<diff><replace sel="spec/size">9</replace></diff>';
      const res = await refused('PATCH', `${WIDGETS}/existing`, { body: xmlPatch, contentType: 'application/xml-patch+xml' });
      assertStatus(res, {
        code: 415,
        reason: 'UnsupportedMediaType',
        message:
          'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
      });
    });

    it('an Accept the server cannot satisfy: 406', async () => {
      assertStatus(await client.request('GET', `${WIDGETS}/existing`, { accept: 'text/html' }), {
        code: 406,
        reason: 'NotAcceptable',
        message: 'only the following media types are accepted: application/json, application/yaml',
      });
    });

    it('an invalid fieldValidation: 422 on CreateOptions', async () => {
      const detail = 'Unsupported value: "Lenient": supported values: "", "Ignore", "Strict", "Warn"';
      assertStatus(await refused('POST', `${WIDGETS}?fieldValidation=Lenient`, { body: widget({ name: 'lenient' }) }), {
        code: 422,
        reason: 'Invalid',
        message: `CreateOptions.meta.k8s.io "" is invalid: fieldValidation: ${detail}`,
        details: { group: 'meta.k8s.io', kind: 'CreateOptions', causes: [{ reason: 'FieldValueNotSupported', message: detail, field: 'fieldValidation' }] },
      });
    });

    it('fieldValidation=Strict and an unknown field: 400 strict decoding error', async () => {
      const body = widget({ name: 'strict' }, { size: 1, bogus: true });
      assertStatus(await refused('POST', `${WIDGETS}?fieldValidation=Strict`, { body }), {
        code: 400,
        reason: 'BadRequest',
        message: 'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.bogus"',
      });
    });

    it('fieldValidation=Warn (and no fieldValidation) and an unknown field: 201 with a Warning, the field dropped', async () => {
      for (const [name, query] of [['warned', '?fieldValidation=Warn'], ['defaulted', '']]) {
        const res = await client.request('POST', `${WIDGETS}${query}`, { body: widget({ name }, { size: 1, bogus: true }) });
        assert.equal(res.status, 201, res.body);
        assert.equal(res.headers.warning, '299 - "unknown field \\"spec.bogus\\""');
        assert.deepEqual(JSON.parse(res.body).spec, { size: 1 });
        const stored = await client.request('GET', `${WIDGETS}/${name}`);
        assert.deepEqual(JSON.parse(stored.body).spec, { size: 1 });
      }
    });

    it('a create that sets resourceVersion: 400', async () => {
      assertStatus(await refused('POST', WIDGETS, { body: widget({ name: 'versioned', resourceVersion: '7' }) }), {
        code: 400,
        reason: 'BadRequest',
        message: 'resourceVersion should not be set on objects to be created',
      });
    });

    it('an update with a stale resourceVersion: 409 Conflict', async () => {
      const stale = String(Number(existing.metadata.resourceVersion) - 1);
      const body = JSON.stringify({ ...existing, metadata: { ...existing.metadata, resourceVersion: stale }, spec: { size: 2 } });
      assertStatus(await refused('PUT', `${WIDGETS}/existing`, { body }), {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on widgets.${GROUP} "existing": the object has been modified; please apply your changes to the latest version and try again`,
        details: { name: 'existing', group: GROUP, kind: 'widgets' },
      });
    });

    it('a DELETE whose preconditions do not match: 409 Conflict', async () => {
      const { uid, resourceVersion } = existing.metadata;
      const uidRes = await refused('DELETE', `${WIDGETS}/existing`, { body: JSON.stringify({ preconditions: { uid: 'not-the-uid' } }) });
      assertStatus(uidRes, {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on Widget.${GROUP} "existing": the UID in the precondition (not-the-uid) does not match the UID in record (${uid}). The object might have been deleted and then recreated`,
        details: { name: 'existing', group: GROUP, kind: 'Widget' },
      });
      const stale = String(Number(resourceVersion) - 1);
      const rvRes = await refused('DELETE', `${WIDGETS}/existing`, { body: JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: stale } }) });
      assertStatus(rvRes, {
        code: 409,
        reason: 'Conflict',
        message: `Operation cannot be fulfilled on Widget.${GROUP} "existing": the ResourceVersion in the precondition (${stale}) does not match the ResourceVersion in record (${resourceVersion}). The object might have been modified`,
        details: { name: 'existing', group: GROUP, kind: 'Widget' },
      });
    });

    it('an invalid propagationPolicy: 422 on DeleteOptions', async () => {
      const detail = 'Unsupported value: "Sideways": supported values: "Foreground", "Background", "Orphan", "nil"';
      assertStatus(await refused('DELETE', `${WIDGETS}/existing?propagationPolicy=Sideways`), {
        code: 422,
        reason: 'Invalid',
        message: `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: ${detail}`,
        details: { group: 'meta.k8s.io', kind: 'DeleteOptions', causes: [{ reason: 'FieldValueNotSupported', message: detail, field: 'propagationPolicy' }] },
      });
    });

    it('no client certificate: 401 Unauthorized, while /healthz still answers', async () => {
      const unauthorized = { code: 401, reason: 'Unauthorized', message: 'Unauthorized' };
      assertStatus(await client.request('GET', WIDGETS, { anonymous: true }), unauthorized);
      assertStatus(await refused('DELETE', `${WIDGETS}/existing`, { anonymous: true }), unauthorized);
      const health = await client.request('GET', '/healthz', { anonymous: true });
      assert.equal(health.status, 200);
      assert.equal(health.body, 'ok');
    });

    it('after all of the above, the object refused writes aimed at is as it was created', async () => {
      const res = await client.request('GET', `${WIDGETS}/existing`);
      assert.deepEqual(JSON.parse(res.body), existing);
      assert.equal((await client.request('GET', `${WIDGETS}/missing`)).status, 404);
    });
  });
}
