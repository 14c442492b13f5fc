/**
 * The conversion webhook as kube-apiserver calls it: HTTPS POSTs of
 * ConversionReview bodies shaped exactly as kube-apiserver's webhook converter
 * marshals them (request plus an empty response, `?timeout=30s`), answered by a
 * Scheme's conversions — Success with the objects in order, Failure with a
 * message kube-apiserver passes on, 4xx for what is no ConversionReview, and
 * client certificates required when a client CA is configured.
 */
import assert from 'node:assert/strict';
import https from 'node:https';
import { Scheme } from '../../../src/framework/runtime';
import { createCertificate, type CertKeyPair } from '../../../src/framework/server/pki/create-certificate';
import { ConversionWebhookServer } from '../../../src/framework/server/conversion-webhook';
import { install } from '../runtime/fixtures/widgets/install';
import { GROUP } from '../runtime/fixtures/widgets/types';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** A Widget as kube-apiserver holds it: server-set metadata and all. */
function storedWidget(name: string, apiVersion: string, spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion,
    kind: 'Widget',
    metadata: {
      name,
      namespace: 'default',
      uid: `3f5a1c2e-0000-4000-8000-00000000000${name.length}`,
      resourceVersion: '4711',
      generation: 2,
      creationTimestamp: '2026-01-02T03:04:05Z',
      labels: { app: 'shop' },
      annotations: { note: 'kept' },
      managedFields: [
        { manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion, time: '2026-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:size': {} } } },
      ],
    },
    spec,
  };
}

/** The body kube-apiserver's webhook converter sends: TypeMeta, the request, and an empty response. */
function kubeApiserverReview(uid: string, desiredAPIVersion: string, objects: unknown[], reviewVersion = 'apiextensions.k8s.io/v1'): string {
  return JSON.stringify({
    kind: 'ConversionReview',
    apiVersion: reviewVersion,
    request: { uid, desiredAPIVersion, objects },
    response: { uid: '', convertedObjects: null, result: { metadata: {} } },
  });
}

describe('framework/server: the conversion webhook', function () {
  this.timeout(30_000);
  let ca: CertKeyPair;
  let serving: CertKeyPair;
  let server: ConversionWebhookServer;
  let port: number;

  function post(body: string, opts: { path?: string; method?: string; contentType?: string; port?: number; cert?: CertKeyPair } = {}): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host: '127.0.0.1',
          port: opts.port ?? port,
          path: opts.path ?? '/convert?timeout=30s',
          method: opts.method ?? 'POST',
          ca: ca.certPem,
          cert: opts.cert?.certPem,
          key: opts.cert?.keyPem,
          headers: { 'Content-Type': opts.contentType ?? 'application/json', Accept: 'application/json, */*', 'User-Agent': 'kube-apiserver-admission' },
        },
        (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  before(async () => {
    ca = await createCertificate({ usage: 'ca', commonName: 'webhook-ca', validDays: 1 });
    serving = await createCertificate({ usage: 'server', commonName: 'widgets-conversion', hosts: ['127.0.0.1'], validDays: 1 }, ca);
    server = new ConversionWebhookServer({ scheme: install(new Scheme()), bindAddress: '127.0.0.1', port: 0, ...serving });
    port = (await server.start()).port;
  });
  after(async () => {
    await server?.stop();
  });

  it('converts every object to the desired version, in order, echoing the uid', async () => {
    const objects = [
      storedWidget('a', `${GROUP}/v1alpha1`, { size: 3, colour: 'red', replicas: 2 }),
      storedWidget('bb', `${GROUP}/v1beta1`, { size: 5, color: 'blue', ports: [{ name: 'http', port: 80 }] }),
    ];
    const reply = await post(kubeApiserverReview('705ab4f5-6393-11e8-b7cc-42010a800002', `${GROUP}/v1`, objects));
    assert.equal(reply.status, 200);
    assert.equal(reply.body.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(reply.body.kind, 'ConversionReview');
    const response = reply.body.response as { uid: string; result: unknown; convertedObjects: Record<string, unknown>[] };
    assert.equal(response.uid, '705ab4f5-6393-11e8-b7cc-42010a800002');
    assert.deepEqual(response.result, { metadata: {}, status: 'Success' });
    assert.deepEqual(
      response.convertedObjects.map((o) => [o.apiVersion, o.kind, o.spec]),
      [
        [`${GROUP}/v1`, 'Widget', { dimensions: { size: 3 }, color: 'red', replicas: 2 }],
        [`${GROUP}/v1`, 'Widget', { dimensions: { size: 5 }, color: 'blue', ports: [{ name: 'http', port: 80 }] }],
      ],
    );
    for (const [i, converted] of response.convertedObjects.entries()) {
      assert.deepEqual(converted.metadata, objects[i].metadata, 'metadata passes through untouched, as kube-apiserver requires');
    }
  });

  it('answers a v1beta1 ConversionReview in v1beta1, and leaves objects already in the desired version as they are', async () => {
    const already = storedWidget('c', `${GROUP}/v1alpha1`, { colour: 'green' });
    const reply = await post(kubeApiserverReview('uid-beta', `${GROUP}/v1alpha1`, [already, storedWidget('dd', `${GROUP}/v1`, { color: 'green' })], 'apiextensions.k8s.io/v1beta1'));
    assert.equal(reply.body.apiVersion, 'apiextensions.k8s.io/v1beta1');
    const converted = (reply.body.response as { convertedObjects: Record<string, unknown>[] }).convertedObjects;
    assert.deepEqual(converted[0], already);
    assert.deepEqual(converted[1].spec, { colour: 'green' }, 'converted, not defaulted (kube-apiserver defaults)');
  });

  it('reports what it cannot convert as a Failure result naming the object, with HTTP 200 as kube-apiserver expects', async () => {
    const unknownVersion = await post(kubeApiserverReview('uid-fail', `${GROUP}/v9`, [storedWidget('a', `${GROUP}/v1`, {})]));
    assert.equal(unknownVersion.status, 200);
    assert.deepEqual(unknownVersion.body.response, {
      uid: 'uid-fail',
      convertedObjects: [],
      result: { metadata: {}, status: 'Failure', message: `Widget default/a (objects[0], ${GROUP}/v1): cannot convert to ${GROUP}/v9: no Widget is served in that version` },
    });
    const unknownKind = await post(kubeApiserverReview('uid-kind', `${GROUP}/v1`, [{ apiVersion: `${GROUP}/v1alpha1`, kind: 'Gadget', metadata: { name: 'g' } }]));
    assert.match((unknownKind.body.response as { result: { message: string } }).result.message, /^Gadget g \(objects\[0\], fixtures\.example\.com\/v1alpha1\): /);
  });

  it('refuses what is no ConversionReview request: 400, 404, 405 and 415 with a Status', async () => {
    const notJSON = await post('{"kind":');
    assert.equal(notJSON.status, 400);
    assert.match(String(notJSON.body.message), /^the body is not JSON/);
    const admission = await post(JSON.stringify({ kind: 'AdmissionReview', apiVersion: 'admission.k8s.io/v1', request: { uid: 'x' } }));
    assert.deepEqual([admission.status, admission.body.kind, admission.body.message], [400, 'Status', 'not a ConversionReview request: kind is "AdmissionReview", expected "ConversionReview"']);
    const noUID = await post(JSON.stringify({ kind: 'ConversionReview', apiVersion: 'apiextensions.k8s.io/v1', request: { desiredAPIVersion: `${GROUP}/v1`, objects: [] } }));
    assert.equal(noUID.body.message, 'not a ConversionReview request: request.uid is missing');
    assert.equal((await post('{}', { path: '/mutate' })).status, 404);
    assert.equal((await post('', { method: 'GET' })).status, 405);
    assert.equal((await post('{}', { contentType: 'application/yaml' })).status, 415);
  });

  it('with a client CA, answers only clients that present a certificate it signed', async () => {
    const clientCA = await createCertificate({ usage: 'ca', commonName: 'front-proxy-ca', validDays: 1 });
    const apiserver = await createCertificate({ usage: 'client', commonName: 'kube-apiserver', validDays: 1 }, clientCA);
    const strict = new ConversionWebhookServer({ scheme: install(new Scheme()), bindAddress: '127.0.0.1', port: 0, ...serving, clientCAPem: clientCA.certPem });
    const strictPort = (await strict.start()).port;
    try {
      const review = kubeApiserverReview('uid-mtls', `${GROUP}/v1`, []);
      await assert.rejects(post(review, { port: strictPort }));
      const reply = await post(review, { port: strictPort, cert: apiserver });
      assert.deepEqual((reply.body.response as { result: unknown }).result, { metadata: {}, status: 'Success' });
    } finally {
      await strict.stop();
    }
  });
});
