/**
 * The scale subresource over HTTP: the object seen as an autoscaling/v1 Scale,
 * writes that change only the desired replicas, and kube-apiserver's answers to
 * stale, invalid and unknown input.
 */
import assert from 'node:assert/strict';
import { RawClient } from '../support/raw-client';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const BASE = '/apis/e2e.example.com/v1/namespaces/default/widgets';
const MERGE = 'application/merge-patch+json';

describe('e2e: the scale subresource over HTTP (sqlite)', function () {
  this.timeout(30_000);
  let server: TestServer;
  let client: RawClient;

  /** A widget with 2 desired and 1 observed replicas, selected by app=scaled. */
  async function createScaled(name: string): Promise<void> {
    const body = JSON.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name }, spec: { size: 1, replicas: 2 } });
    assert.equal((await client.request('POST', BASE, { body })).status, 201);
    const status = JSON.stringify({ status: { replicas: 1, selector: 'app=scaled' } });
    assert.equal((await client.request('PATCH', `${BASE}/${name}/status`, { body: status, contentType: MERGE })).status, 200);
  }

  const get = async (path: string) => JSON.parse((await client.request('GET', path)).body);

  before(async () => {
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]));
    client = new RawClient(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('reads the object as a Scale', async () => {
    await createScaled('read');
    const widget = await get(`${BASE}/read`);
    const scale = await get(`${BASE}/read/scale`);
    assert.deepEqual(scale, {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: 'read',
        namespace: 'default',
        uid: widget.metadata.uid,
        resourceVersion: widget.metadata.resourceVersion,
        creationTimestamp: widget.metadata.creationTimestamp,
      },
      spec: { replicas: 2 },
      status: { replicas: 1, selector: 'app=scaled' },
    });
  });

  it('writes the desired replicas with PUT and PATCH, bumping the generation and keeping the status', async () => {
    await createScaled('written');
    const scale = await get(`${BASE}/written/scale`);
    scale.spec.replicas = 4;
    const put = await client.request('PUT', `${BASE}/written/scale`, { body: JSON.stringify(scale) });
    assert.equal(put.status, 200, put.body);
    assert.deepEqual(JSON.parse(put.body).spec, { replicas: 4 });
    const patched = await client.request('PATCH', `${BASE}/written/scale`, { body: '[{"op":"replace","path":"/spec/replicas","value":5}]', contentType: 'application/json-patch+json' });
    assert.equal(patched.status, 200, patched.body);
    const widget = await get(`${BASE}/written`);
    assert.equal(widget.spec.replicas, 5);
    assert.equal(widget.metadata.generation, 3);
    assert.deepEqual(widget.status, { replicas: 1, selector: 'app=scaled' });
  });

  it('refuses a Scale with a stale resourceVersion with 409 Conflict', async () => {
    await createScaled('stale');
    const scale = await get(`${BASE}/stale/scale`);
    await client.request('PATCH', `${BASE}/stale/scale`, { body: '{"spec":{"replicas":3}}', contentType: MERGE });
    scale.spec.replicas = 9;
    const res = await client.request('PUT', `${BASE}/stale/scale`, { body: JSON.stringify(scale) });
    assert.equal(res.status, 409);
    assert.equal(
      JSON.parse(res.body).message,
      'Operation cannot be fulfilled on widgets.e2e.example.com "stale": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.equal((await get(`${BASE}/stale`)).spec.replicas, 3);
  });

  it('refuses negative replicas with 422 and unknown fields under Strict with 400', async () => {
    await createScaled('refused');
    const negative = await client.request('PATCH', `${BASE}/refused/scale`, { body: '{"spec":{"replicas":-1}}', contentType: MERGE });
    assert.equal(negative.status, 422);
    const status = JSON.parse(negative.body);
    assert.equal(status.message, 'Scale.autoscaling "refused" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0');
    assert.deepEqual(status.details.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' }]);

    const unknown = JSON.stringify({ apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'refused' }, spec: { replicas: 1, bogus: true } });
    const strict = await client.request('PUT', `${BASE}/refused/scale?fieldValidation=Strict`, { body: unknown });
    assert.equal(strict.status, 400);
    assert.equal(JSON.parse(strict.body).message, 'Scale in version "v1" cannot be handled as a Scale: strict decoding error: unknown field "spec.bogus"');
    const warned = await client.request('PUT', `${BASE}/refused/scale`, { body: unknown });
    assert.equal(warned.status, 200);
    assert.equal(warned.headers.warning, '299 - "unknown field \\"spec.bogus\\""');

    const renamed = await client.request('PUT', `${BASE}/refused/scale`, { body: unknown.replace('"name":"refused"', '"name":"other"') });
    assert.equal(renamed.status, 400);
    assert.equal(JSON.parse(renamed.body).message, 'the name of the object (other) does not match the name on the URL (refused)');
    const xml = await client.request('PATCH', `${BASE}/refused/scale`, { body: '<x/>', contentType: 'application/xml' });
    assert.equal(xml.status, 415);
    assert.equal(
      JSON.parse(xml.body).message,
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml',
    );
    assert.equal((await get(`${BASE}/refused`)).spec.replicas, 1);
  });

  it('answers a dry run without storing it, and 404 for a missing object', async () => {
    await createScaled('dry');
    const dry = await client.request('PATCH', `${BASE}/dry/scale?dryRun=All`, { body: '{"spec":{"replicas":7}}', contentType: MERGE });
    assert.equal(dry.status, 200, dry.body);
    assert.equal(JSON.parse(dry.body).spec.replicas, 7);
    assert.equal((await get(`${BASE}/dry`)).spec.replicas, 2);

    const missing = await client.request('GET', `${BASE}/nope/scale`);
    assert.equal(missing.status, 404);
    assert.equal(JSON.parse(missing.body).message, 'widgets.e2e.example.com "nope" not found');
    assert.equal((await client.request('PATCH', `${BASE}/nope/scale`, { body: '{"spec":{"replicas":1}}', contentType: MERGE })).status, 404);
  });
});
