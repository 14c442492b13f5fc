/**
 * Authorization modes over real TLS: seed 000's ABAC policy file applied as it
 * is, AlwaysDeny and the order of a union of modes, SubjectAccessReview answered
 * with the server's authorizer, and a delegating server that asks a core
 * apiserver-kit instance (TokenReview, SubjectAccessReview) and caches answers.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Field, Hub, KubeObject, Resource } from '../../src/index';
import { clusterOf, tlsRequest, writeKubeconfigFor } from '../support/credentials';
import { kubectl, runKubectl } from '../support/kubectl';
import { RawClient } from '../support/raw-client';
import { SEED_000_POLICY } from './seed-000-policy.fixture';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

class NotebookSpec {
  @Field(() => String)
  image?: string;
}

@Hub({ group: 'kubeflow.org', kind: 'Notebook' })
class Notebook extends KubeObject {
  @Field(() => NotebookSpec)
  spec?: NotebookSpec;
}

@Resource({ group: 'kubeflow.org', version: 'v1', kind: 'Notebook', plural: 'notebooks', scope: 'Namespaced' })
class NotebookV1 extends Notebook {}

const SAR_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';
const TOKENS = 'tok-alice,alice,1001,devs\ntok-bob,bob,1002\n';

function notebook(name: string): string {
  return JSON.stringify({ apiVersion: 'kubeflow.org/v1', kind: 'Notebook', metadata: { name }, spec: { image: 'jupyter' } });
}

async function accessReview(cluster: { server: string; caPem: string }, token: string, spec: object): Promise<{ allowed: boolean; denied?: boolean; reason?: string }> {
  const res = await tlsRequest(cluster, SAR_PATH, { token, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec } });
  assert.equal(res.status, 201, res.body);
  return res.json().status;
}

describe('e2e: authorization', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'authz-'));
    writeFileSync(path.join(dir, 'tokens.csv'), TOKENS);
    writeFileSync(path.join(dir, 'tokens-with-admin.csv'), `${TOKENS}tok-root,root,0,system:masters\n`);
    writeFileSync(path.join(dir, 'policy.jsonl'), SEED_000_POLICY);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('ABAC with the policy file of seed 000', () => {
    let server: TestServer;
    let cluster: { server: string; caPem: string };
    let alice: string;

    before(async () => {
      server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]).withResource([Notebook, NotebookV1]), [
        '--authorization-mode', 'ABAC',
        '--authorization-policy-file', path.join(dir, 'policy.jsonl'),
        '--token-auth-file', path.join(dir, 'tokens.csv'),
        '--anonymous-auth',
      ]);
      cluster = clusterOf(server.kubeconfig);
      alice = writeKubeconfigFor(cluster, path.join(dir, 'alice.kubeconfig'), { token: 'tok-alice' });
    });
    after(async () => {
      await server?.stop();
    });

    it('lets authenticated users use the core group and the listed groups with kubectl', async () => {
      await kubectl(['create', 'namespace', 'team-a'], { kubeconfig: alice });
      assert.match(await kubectl(['get', 'namespaces'], { kubeconfig: alice }), /team-a/);
      await kubectl(['create', '-n', 'team-a', '-f', '-'], { kubeconfig: alice, input: notebook('nb-1') });
      assert.match(await kubectl(['get', 'notebooks', '-n', 'team-a'], { kubeconfig: alice }), /nb-1/);
    });

    it('refuses a group no policy names: 403 with "No policy matched."', async () => {
      const result = await runKubectl(['get', 'widgets', '-n', 'team-a'], { kubeconfig: alice });
      assert.notEqual(result.code, 0);
      assert.match(
        result.stderr,
        /Error from server \(Forbidden\): widgets\.e2e\.example\.com is forbidden: User "alice" cannot list resource "widgets" in API group "e2e\.example\.com" in the namespace "team-a": No policy matched\./,
      );
      const raw = await tlsRequest(cluster, '/apis/e2e.example.com/v1/namespaces/team-a/widgets/w1', { token: 'tok-alice' });
      assert.equal(raw.status, 403);
      assert.equal(raw.headers['x-content-type-options'], 'nosniff');
      assert.deepEqual(raw.json().details, { name: 'w1', group: 'e2e.example.com', kind: 'widgets' });
    });

    it('paths are read-only for authenticated and anonymous users alike; resources stay closed to anonymous', async () => {
      for (const token of ['tok-alice', undefined]) {
        assert.equal((await tlsRequest(cluster, '/version', { token })).status, 200);
        assert.equal((await tlsRequest(cluster, '/apis', { token })).status, 200);
        const posted = await tlsRequest(cluster, '/version', { token, body: {} });
        assert.equal(posted.status, 403, posted.body);
      }
      const anonymous = await tlsRequest(cluster, '/api/v1/namespaces');
      assert.equal(anonymous.status, 403);
      assert.equal(anonymous.json().message, 'namespaces is forbidden: User "system:anonymous" cannot list resource "namespaces" in API group "" at the cluster scope: No policy matched.');
      const posted = await tlsRequest(cluster, '/version', { body: {} });
      assert.equal(posted.json().message, 'forbidden: User "system:anonymous" cannot post path "/version": No policy matched.');
    });

    it('answers SubjectAccessReviews with the policy; alice herself may not ask', async () => {
      const admin = new RawClient(server.kubeconfig);
      const ask = async (spec: object) => {
        const res = await admin.request('POST', SAR_PATH, { body: JSON.stringify({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec }) });
        assert.equal(res.status, 201, res.body);
        return JSON.parse(res.body).status;
      };
      const authenticatedAlice = { user: 'alice', groups: ['devs', 'system:authenticated'] };
      assert.deepEqual(await ask({ ...authenticatedAlice, resourceAttributes: { verb: 'create', group: 'kubeflow.org', resource: 'notebooks', namespace: 'x' } }), { allowed: true });
      assert.deepEqual(await ask({ ...authenticatedAlice, resourceAttributes: { verb: 'list', group: 'e2e.example.com', resource: 'widgets' } }), {
        allowed: false,
        reason: 'No policy matched.',
      });
      // The subject is what the review says: without system:authenticated no policy applies.
      assert.deepEqual(await ask({ user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods' } }), { allowed: false, reason: 'No policy matched.' });
      assert.deepEqual(await ask({ ...authenticatedAlice, nonResourceAttributes: { verb: 'get', path: '/healthz' } }), { allowed: true });
      const own = await tlsRequest(cluster, SAR_PATH, {
        token: 'tok-alice',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'alice', resourceAttributes: { verb: 'get', resource: 'pods' } } },
      });
      assert.equal(own.status, 403);
    });
  });

  describe('AlwaysDeny and the order of modes', () => {
    let server: TestServer;
    let cluster: { server: string; caPem: string };

    before(async () => {
      server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), [
        '--authorization-mode', 'AlwaysDeny,AlwaysAllow',
        '--token-auth-file', path.join(dir, 'tokens-with-admin.csv'),
      ]);
      cluster = clusterOf(server.kubeconfig);
    });
    after(async () => {
      await server?.stop();
    });

    it('the first mode that decides wins: everyone is refused but system:masters', async () => {
      const refused = await tlsRequest(cluster, '/api/v1/namespaces', { token: 'tok-bob' });
      assert.equal(refused.status, 403);
      assert.equal(refused.json().message, 'namespaces is forbidden: User "bob" cannot list resource "namespaces" in API group "" at the cluster scope: Everything is forbidden.');
      assert.equal((await tlsRequest(cluster, '/healthz', { token: 'tok-bob' })).status, 200);
      assert.equal((await tlsRequest(cluster, '/api/v1/namespaces', { token: 'tok-root' })).status, 200);
      assert.match(await kubectl(['get', 'namespaces'], { kubeconfig: server.kubeconfig }), /default/);
    });

    it('SubjectAccessReview reports a denial as denied, system:masters as allowed', async () => {
      assert.deepEqual(await accessReview(cluster, 'tok-root', { user: 'bob', resourceAttributes: { verb: 'get', resource: 'namespaces' } }), {
        allowed: false,
        denied: true,
        reason: 'Everything is forbidden.',
      });
      assert.deepEqual(await accessReview(cluster, 'tok-root', { user: 'x', groups: ['system:masters'], nonResourceAttributes: { verb: 'get', path: '/metrics' } }), { allowed: true });
      const invalid = await tlsRequest(cluster, SAR_PATH, {
        token: 'tok-root',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { resourceAttributes: { verb: 'get' } } },
      });
      assert.equal(invalid.status, 422);
      assert.match(invalid.json().message, /spec\.user: Invalid value: "": at least one of user or group must be specified/);
    });
  });

  describe('delegated to a core cluster (TokenReview, SubjectAccessReview)', () => {
    let core: TestServer;
    let delegating: TestServer;
    let cluster: { server: string; caPem: string };
    let alice: string;

    before(async () => {
      core = await startTestServer('sqlite', () => undefined, [
        '--authorization-mode', 'ABAC',
        '--authorization-policy-file', path.join(dir, 'policy.jsonl'),
        '--token-auth-file', path.join(dir, 'tokens.csv'),
      ]);
      delegating = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]).withResource([Notebook, NotebookV1]), [
        '--authentication-kubeconfig', core.kubeconfig,
        '--authorization-kubeconfig', core.kubeconfig,
        '--authorization-mode', 'Webhook',
        '--authentication-token-webhook-cache-ttl', '5m',
        '--authorization-webhook-cache-authorized-ttl', '5m',
        '--authorization-webhook-cache-unauthorized-ttl', '5m',
      ]);
      cluster = clusterOf(delegating.kubeconfig);
      alice = writeKubeconfigFor(cluster, path.join(dir, 'alice-delegating.kubeconfig'), { token: 'tok-alice' });
    });
    after(async () => {
      await delegating?.stop();
      await core?.stop();
    });

    it("learns who a token belongs to and what they may do from the core cluster, with its reasons", async () => {
      await kubectl(['create', '-n', 'default', '-f', '-'], { kubeconfig: alice, input: notebook('nb-delegated') });
      assert.match(await kubectl(['get', 'notebooks', '-n', 'default'], { kubeconfig: alice }), /nb-delegated/);
      const refused = await runKubectl(['get', 'widgets', '-n', 'default'], { kubeconfig: alice });
      assert.match(refused.stderr, /widgets\.e2e\.example\.com is forbidden: User "alice" cannot list resource "widgets" in API group "e2e\.example\.com" in the namespace "default": No policy matched\./);
    });

    it('keeps answering from its caches while the core cluster is away; new questions are refused', async () => {
      await core.stop();
      assert.match(await kubectl(['get', 'notebooks', '-n', 'default'], { kubeconfig: alice }), /nb-delegated/);
      assert.equal((await tlsRequest(cluster, '/apis/e2e.example.com/v1/namespaces/default/widgets', { token: 'tok-alice' })).status, 403);
      assert.equal((await tlsRequest(cluster, '/api/v1/namespaces', { token: 'tok-bob' })).status, 401);
      const unasked = await tlsRequest(cluster, '/apis/kubeflow.org/v1/namespaces/default/notebooks/nb-delegated', { token: 'tok-alice', method: 'DELETE' });
      assert.equal(unasked.status, 403);
      assert.match(unasked.json().message, /error contacting the authorization webhook/);
    });
  });
});
