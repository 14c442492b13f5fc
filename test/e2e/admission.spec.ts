/**
 * Admission: plugins registered in code for one resource and some operations,
 * seeing old and new objects and the user; and webhooks called with
 * AdmissionReview v1 on loopback — mutation by JSON patch, refusals in kube's
 * words, status-only rules, writes through /scale sent as a Scale, object
 * selectors, timeouts under both failure policies, and dry-run against side effects.
 */
import assert from 'node:assert/strict';
import { newForbidden, Resource, type MutatingAdmissionPlugin, type ValidatingAdmissionPlugin } from '../../src/index';
import type { WebhookConfiguration } from '../../src/framework/admission/webhook/configuration';
import { RawClient } from '../support/raw-client';
import { kubectl, runKubectl } from '../support/kubectl';
import { startWebhookServer, type AdmissionAnswer, type AdmissionRequest, type WebhookServer } from '../support/webhook-server';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const GROUP = 'e2e.example.com';
const BASE = `/apis/${GROUP}/v1/namespaces/default/widgets`;
const WIDGETS = [{ group: GROUP, resource: 'widgets' }];

/** Widgets served in an older version too, for webhooks that match a version other than the request's. */
@Resource({ group: GROUP, version: 'v1beta1', kind: 'Widget', plural: 'widgets', scope: 'Namespaced' })
class WidgetV1beta1 extends Widget {}

function widget(name: string, extra: { size?: number; labels?: Record<string, string>; version?: string } = {}): string {
  const apiVersion = `${GROUP}/${extra.version ?? 'v1'}`;
  return JSON.stringify({ apiVersion, kind: 'Widget', metadata: { name, labels: extra.labels }, spec: { size: extra.size ?? 1 } });
}

const stampCreator: MutatingAdmissionPlugin = {
  name: 'StampCreator',
  handles: (operation) => operation === 'CREATE',
  admit(attrs) {
    const obj = attrs.object as Widget;
    obj.metadata.labels = { ...obj.metadata.labels, 'created-by': attrs.user?.username ?? 'nobody' };
  },
};

/** What plugins in code registered for widgets/scale saw: `<name>: <old replicas> -> <new replicas>`. */
const scaleWrites: string[] = [];
const recordScale: ValidatingAdmissionPlugin = {
  name: 'RecordScale',
  handles: (operation) => operation === 'UPDATE',
  validate(attrs) {
    if (attrs.subresource !== 'scale') throw new Error(`registered for widgets/scale, called for subresource "${attrs.subresource}"`);
    const replicas = (obj: object | undefined) => (obj as Widget).spec?.replicas ?? 0;
    if (replicas(attrs.object) <= 5) scaleWrites.push(`${attrs.name}: ${replicas(attrs.oldObject)} -> ${replicas(attrs.object)}`);
  },
};

const noShrinking: ValidatingAdmissionPlugin = {
  name: 'NoShrinking',
  handles: (operation) => operation === 'UPDATE',
  validate(attrs) {
    const before = (attrs.oldObject as Widget).spec?.size ?? 0;
    const after = (attrs.object as Widget).spec?.size ?? 0;
    if (after < before) throw newForbidden({ group: GROUP, resource: 'widgets' }, attrs.name, `size may not shrink from ${before} to ${after}`);
  },
};

function answer(path: string, request: AdmissionRequest): AdmissionAnswer {
  switch (path) {
    case '/mutate':
      return { allowed: true, patch: [{ op: 'add', path: '/metadata/annotations', value: { 'webhook.example.com/seen': request.userInfo.username } }] };
    case '/validate':
      return request.name.startsWith('bad-') ? { allowed: false, status: { code: 403, reason: 'Forbidden', message: 'names starting with bad- are not allowed' } } : { allowed: true };
    case '/status':
      return request.object.status?.phase === 'Broken' ? { allowed: false, status: { message: 'a widget is never broken' } } : { allowed: true };
    case '/scale-even': {
      // Odd replicas are rounded up.
      const replicas = request.object.spec.replicas as number;
      return replicas % 2 === 0 ? { allowed: true } : { allowed: true, patch: [{ op: 'replace', path: '/spec/replicas', value: replicas + 1 }] };
    }
    case '/scale-limit':
      return request.object.spec.replicas > 5 ? { allowed: false, status: { message: `at most 5 replicas, not ${request.object.spec.replicas}` } } : { allowed: true };
    case '/slow':
      return { allowed: true, delayMs: 2500 };
    default:
      return { allowed: true };
  }
}

function configurations(hooks: WebhookServer): { mutating: WebhookConfiguration[]; validating: WebhookConfiguration[] } {
  const hook = (name: string, path: string, rest: Partial<WebhookConfiguration['webhooks'][number]> = {}) => ({
    name,
    clientConfig: { url: `${hooks.url}${path}`, caBundle: hooks.caBundle },
    rules: [{ operations: ['CREATE' as const, 'UPDATE' as const], apiGroups: [GROUP], apiVersions: ['v1'], resources: ['widgets'] }],
    sideEffects: 'None' as const,
    admissionReviewVersions: ['v1'],
    ...rest,
  });
  return {
    mutating: [
      {
        metadata: { name: 'label' },
        webhooks: [
          hook('annotate.example.com', '/mutate', { rules: [{ operations: ['CREATE'], apiGroups: [GROUP], apiVersions: ['*'], resources: ['widgets'] }] }),
          hook('scale-even.example.com', '/scale-even', { rules: [{ operations: ['UPDATE'], apiGroups: [GROUP], apiVersions: ['v1'], resources: ['widgets/scale'] }] }),
        ],
      },
    ],
    validating: [
      {
        metadata: { name: 'policy' },
        webhooks: [
          hook('deny-bad.example.com', '/validate'),
          hook('status.example.com', '/status', { rules: [{ operations: ['UPDATE'], apiGroups: [GROUP], apiVersions: ['v1'], resources: ['widgets/status'] }] }),
          hook('scale-limit.example.com', '/scale-limit', { rules: [{ operations: ['UPDATE'], apiGroups: [GROUP], apiVersions: ['v1'], resources: ['widgets/scale'] }] }),
          hook('scale-labelled.example.com', '/scale-labelled', {
            rules: [{ operations: ['UPDATE'], apiGroups: [GROUP], apiVersions: ['v1'], resources: ['widgets/scale'] }],
            objectSelector: { matchLabels: { tier: 'scaled' } },
          }),
          hook('slow-fail.example.com', '/slow', { timeoutSeconds: 1, failurePolicy: 'Fail', objectSelector: { matchLabels: { slow: 'fail' } } }),
          hook('slow-ignore.example.com', '/slow', { timeoutSeconds: 1, failurePolicy: 'Ignore', objectSelector: { matchLabels: { slow: 'ignore' } } }),
          hook('side-effects.example.com', '/other', { sideEffects: 'Some', objectSelector: { matchLabels: { effects: 'yes' } } }),
        ],
      },
    ],
  };
}

describe('e2e: admission', function () {
  this.timeout(60_000);
  let hooks: WebhookServer;
  let server: TestServer;
  let client: RawClient;

  before(async () => {
    hooks = await startWebhookServer(answer);
    server = await startTestServer('sqlite', (b) =>
      b
        .withResource([Widget, WidgetV1, WidgetV1beta1])
        .withMutatingAdmission(stampCreator, { resources: WIDGETS })
        .withValidatingAdmission(noShrinking, { resources: WIDGETS, operations: ['UPDATE'] })
        .withValidatingAdmission(recordScale, { resources: [{ group: GROUP, resource: 'widgets/scale' }] })
        .withAdmissionWebhooks(configurations(hooks)),
    );
    client = new RawClient(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await hooks?.close();
  });

  it('runs plugins written in code for the resources they are registered for, with the user and both objects', async () => {
    await kubectl(['create', '-f', '-', '-n', 'default'], { kubeconfig: server.kubeconfig, input: widget('plain', { size: 3 }) });
    const created = JSON.parse(await kubectl(['get', 'widget', 'plain', '-n', 'default', '-o', 'json'], { kubeconfig: server.kubeconfig }));
    assert.equal(created.metadata.labels['created-by'], 'admin');
    await kubectl(['create', 'namespace', 'elsewhere'], { kubeconfig: server.kubeconfig });
    const namespace = JSON.parse(await kubectl(['get', 'namespace', 'elsewhere', '-o', 'json'], { kubeconfig: server.kubeconfig }));
    assert.equal(namespace.metadata.labels?.['created-by'], undefined);

    const shrink = await runKubectl(['patch', 'widget', 'plain', '-n', 'default', '--type=merge', '-p', '{"spec":{"size":2}}'], { kubeconfig: server.kubeconfig });
    assert.match(shrink.stderr, /Error from server \(Forbidden\): widgets\.e2e\.example\.com "plain" is forbidden: size may not shrink from 3 to 2/);
    await kubectl(['patch', 'widget', 'plain', '-n', 'default', '--type=merge', '-p', '{"spec":{"size":5}}'], { kubeconfig: server.kubeconfig });
  });

  it('sends AdmissionReview v1 in the served version and applies the JSON patch a mutating webhook answers', async () => {
    const res = await client.request('POST', BASE, { body: widget('mutated') });
    assert.equal(res.status, 201, res.body);
    assert.deepEqual(JSON.parse(res.body).metadata.annotations, { 'webhook.example.com/seen': 'admin' });
    const review = hooks.received.get('/mutate')!.find((r) => r.name === 'mutated')!;
    assert.deepEqual(review.kind, { group: GROUP, version: 'v1', kind: 'Widget' });
    assert.deepEqual(review.resource, { group: GROUP, version: 'v1', resource: 'widgets' });
    assert.equal(review.operation, 'CREATE');
    assert.equal(review.namespace, 'default');
    assert.equal(review.object.apiVersion, `${GROUP}/v1`);
    assert.equal(review.object.metadata.labels['created-by'], 'admin', 'plugins in code run before webhooks');
    assert.ok(review.userInfo.groups?.includes('system:masters'));

    await client.request('PATCH', `${BASE}/mutated`, { body: '{"spec":{"size":7}}', contentType: 'application/merge-patch+json' });
    const update = hooks.received.get('/validate')!.filter((r) => r.name === 'mutated' && r.operation === 'UPDATE').pop()!;
    assert.equal(update.oldObject.spec.size, 1);
    assert.equal(update.object.spec.size, 7);
  });

  it('sends a write made in one version to a webhook that matches another in that one, naming both as kube does', async () => {
    const res = await client.request('POST', `/apis/${GROUP}/v1beta1/namespaces/default/widgets`, { body: widget('older-client', { version: 'v1beta1' }) });
    assert.equal(res.status, 201, res.body);
    assert.equal(JSON.parse(res.body).apiVersion, `${GROUP}/v1beta1`);
    // Its rules name v1 only: it gets the object in v1, and is told the client wrote v1beta1.
    const validated = hooks.received.get('/validate')!.find((r) => r.name === 'older-client')!;
    assert.deepEqual(validated.kind, { group: GROUP, version: 'v1', kind: 'Widget' });
    assert.deepEqual(validated.resource, { group: GROUP, version: 'v1', resource: 'widgets' });
    assert.deepEqual(validated.requestKind, { group: GROUP, version: 'v1beta1', kind: 'Widget' });
    assert.deepEqual(validated.requestResource, { group: GROUP, version: 'v1beta1', resource: 'widgets' });
    assert.equal(validated.object.apiVersion, `${GROUP}/v1`);
    // Its rules name every version: it gets the request's own.
    const mutated = hooks.received.get('/mutate')!.find((r) => r.name === 'older-client')!;
    assert.deepEqual(mutated.kind, { group: GROUP, version: 'v1beta1', kind: 'Widget' });
    assert.deepEqual(mutated.requestKind, { group: GROUP, version: 'v1beta1', kind: 'Widget' });
    assert.equal(mutated.object.apiVersion, `${GROUP}/v1beta1`);
  });

  it('refuses what a validating webhook denies, in kube-apiserver\'s words', async () => {
    const refused = await runKubectl(['create', '-f', '-', '-n', 'default'], { kubeconfig: server.kubeconfig, input: widget('bad-one') });
    assert.match(refused.stderr, /Error from server \(Forbidden\): error when creating "STDIN": admission webhook "deny-bad\.example\.com" denied the request: names starting with bad- are not allowed/);
    assert.equal((await client.request('GET', `${BASE}/bad-one`)).status, 404);
  });

  it('sends status writes only to webhooks whose rules name the status subresource', async () => {
    await client.request('POST', BASE, { body: widget('stat') });
    const broken = await client.request('PATCH', `${BASE}/stat/status`, { body: '{"status":{"phase":"Broken"}}', contentType: 'application/merge-patch+json' });
    assert.equal(broken.status, 400, broken.body);
    assert.equal(JSON.parse(broken.body).message, 'admission webhook "status.example.com" denied the request: a widget is never broken');
    const fine = await client.request('PATCH', `${BASE}/stat/status`, { body: '{"status":{"phase":"Ready"}}', contentType: 'application/merge-patch+json' });
    assert.equal(fine.status, 200, fine.body);
    assert.ok(hooks.received.get('/status')!.every((r) => r.subResource === 'status'));
    assert.ok(!hooks.received.get('/validate')!.some((r) => r.name === 'stat' && r.subResource === 'status'));
  });

  it('sends kubectl scale to webhooks for the scale subresource as an autoscaling/v1 Scale, which may change or refuse it', async () => {
    await kubectl(['create', '-f', '-', '-n', 'default'], { kubeconfig: server.kubeconfig, input: widget('scaled', { size: 2, labels: { tier: 'scaled' } }) });
    await kubectl(['scale', 'widget', 'scaled', '-n', 'default', '--replicas=3'], { kubeconfig: server.kubeconfig });
    assert.equal(await kubectl(['get', 'widget', 'scaled', '-n', 'default', '-o', 'jsonpath={.spec.replicas}'], { kubeconfig: server.kubeconfig }), '4');

    const review = hooks.received.get('/scale-limit')!.find((r) => r.name === 'scaled')!;
    const scaleKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' };
    const widgets = { group: GROUP, version: 'v1', resource: 'widgets' };
    assert.deepEqual(
      { kind: review.kind, resource: review.resource, subResource: review.subResource, operation: review.operation },
      { kind: scaleKind, resource: widgets, subResource: 'scale', operation: 'UPDATE' },
    );
    assert.deepEqual(
      { requestKind: review.requestKind, requestResource: review.requestResource, requestSubResource: review.requestSubResource },
      { requestKind: scaleKind, requestResource: widgets, requestSubResource: 'scale' },
    );
    assert.equal(review.object.apiVersion, 'autoscaling/v1');
    assert.equal(review.object.kind, 'Scale');
    assert.equal(review.object.spec.replicas, 4, 'validating webhooks see what mutating ones made of it');
    assert.equal(review.oldObject.kind, 'Scale');
    assert.equal(review.oldObject.spec.replicas, 0);
    assert.equal(hooks.received.get('/scale-even')!.find((r) => r.name === 'scaled')!.object.spec.replicas, 3);
    assert.ok(!hooks.received.get('/validate')!.some((r) => r.name === 'scaled' && r.operation === 'UPDATE'), 'rules for widgets do not select widgets/scale');
    assert.deepEqual(scaleWrites, ['scaled: 0 -> 4'], 'plugins in code registered for widgets/scale see the whole objects');
    assert.equal(hooks.received.get('/scale-labelled'), undefined, 'a Scale has no labels for an object selector to match, as in kube');

    const refused = await runKubectl(['scale', 'widget', 'scaled', '-n', 'default', '--replicas=9'], { kubeconfig: server.kubeconfig });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Error from server: admission webhook "scale-limit\.example\.com" denied the request: at most 5 replicas, not 10/);
    assert.equal(await kubectl(['get', 'widget', 'scaled', '-n', 'default', '-o', 'jsonpath={.spec.replicas}'], { kubeconfig: server.kubeconfig }), '4');
  });

  it('a webhook that does not answer in time refuses the write (Fail) or is skipped (Ignore)', async () => {
    const failed = await client.request('POST', BASE, { body: widget('slow-1', { labels: { slow: 'fail' } }) });
    assert.equal(failed.status, 500, failed.body);
    assert.equal(
      JSON.parse(failed.body).message,
      `Internal error occurred: failed calling webhook "slow-fail.example.com": failed to call webhook: Post "${hooks.url}/slow": context deadline exceeded`,
    );
    const ignored = await client.request('POST', BASE, { body: widget('slow-2', { labels: { slow: 'ignore' } }) });
    assert.equal(ignored.status, 201, ignored.body);
  });

  it('refuses dry-run writes that would reach a webhook with side effects', async () => {
    const dry = await client.request('POST', `${BASE}?dryRun=All`, { body: widget('effects', { labels: { effects: 'yes' } }) });
    assert.equal(dry.status, 400, dry.body);
    assert.equal(JSON.parse(dry.body).message, 'admission webhook "side-effects.example.com" does not support dry run');
    assert.equal((await client.request('POST', `${BASE}?dryRun=All`, { body: widget('no-effects') })).status, 201);
  });
});
