/**
 * What kubectl users expect of authorization beyond yes or no: `kubectl auth
 * can-i --list` (SelfSubjectRulesReview) under RBAC, ABAC and a webhook, ClusterRoles
 * that aggregate others by label (kube's admin, edit and view among them), and
 * the review kinds refusing everything but create, in kube-apiserver's words.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterOf, tlsRequest, writeKubeconfigFor } from '../support/credentials';
import { eventually, kubectl, kubectlVersion, KUBECTL, runKubectl } from '../support/kubectl';
import { startRBACServer, TEST_TOKENS, type RBACServer } from './rbac-server.fixture';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const KUBECTLS = [KUBECTL, kubectlVersion(27)];

function clusterRole(name: string, fields: { labels?: Record<string, string>; rules?: object[]; aggregationRule?: object }): string {
  const { labels, ...rest } = fields;
  return JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, ...rest });
}

const WIDGET_ADMIN_LABEL = 'example.com/aggregate-to-widget-admin';

/** The rows of a `kubectl auth can-i --list` table, columns split on runs of spaces. */
function rows(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s{2,}/));
}

describe('e2e: authorization rules', function () {
  this.timeout(60_000);
  let rbac: RBACServer | undefined;
  let admin: string;
  let alice: string;
  let bob: string;
  const canI = async (kubeconfig: string, ...args: string[]) => (await runKubectl(['auth', 'can-i', ...args], { kubeconfig })).stdout.trim();

  before(async () => {
    rbac = await startRBACServer();
    ({ admin, alice, bob } = rbac);
  });
  after(async () => {
    await rbac?.stop();
  });

  for (const binary of KUBECTLS) {
    it(`kubectl auth can-i --list (${path.basename(binary)}): cluster-admin's rules for system:masters, the bootstrap rules for everyone`, async () => {
      const table = rows(await kubectl(['auth', 'can-i', '--list'], { kubeconfig: admin, binary }));
      assert.deepEqual(table[0], ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs']);
      assert.deepEqual(table[1], ['*.*', '[]', '[]', '[*]']);
      assert.deepEqual(table[2], ['[*]', '[]', '[*]']);
      const own = rows(await kubectl(['auth', 'can-i', '--list'], { kubeconfig: bob, binary }));
      assert.ok(own.some((r) => r.join(' ') === 'selfsubjectrulesreviews.authorization.k8s.io [] [] [create]'), JSON.stringify(own));
      assert.ok(own.some((r) => r.join(' ') === '[/healthz] [] [get]'), JSON.stringify(own));
      assert.ok(!own.some((r) => r[0] === '*.*'));
    });
  }

  it('kubectl auth can-i --list --namespace shows the Roles bound in that namespace only', async () => {
    await kubectl(['create', 'namespace', 'team-a'], { kubeconfig: admin });
    await kubectl(['create', 'role', 'widget-editor', '--verb=get,list,create', '--resource=widgets', '--resource-name=w1', '-n', 'team-a'], { kubeconfig: admin });
    await kubectl(['create', 'rolebinding', 'alice-edits', '--role=widget-editor', '--user=alice', '-n', 'team-a'], { kubeconfig: admin });
    const inTeamA = async () => rows(await kubectl(['auth', 'can-i', '--list', '--namespace', 'team-a'], { kubeconfig: alice }));
    await eventually(async () => assert.ok((await inTeamA()).some((r) => r.join(' ') === 'widgets.e2e.example.com [] [w1] [get list create]')));
    const elsewhere = rows(await kubectl(['auth', 'can-i', '--list', '--namespace', 'default'], { kubeconfig: alice }));
    assert.ok(!elsewhere.some((r) => r[0].startsWith('widgets')));
    // An administrator sees a user's rules by impersonating them.
    const impersonated = rows(await kubectl(['auth', 'can-i', '--list', '--namespace', 'team-a', '--as', 'alice'], { kubeconfig: admin }));
    assert.ok(impersonated.some((r) => r.join(' ') === 'widgets.e2e.example.com [] [w1] [get list create]'));
    assert.ok(!impersonated.some((r) => r[0] === '*.*'));
  });

  it('a binding to a missing role is listed as an evaluation error, and the other rules still', async () => {
    await kubectl(['create', 'rolebinding', 'bob-nothing', '--role=no-such-role', '--user=bob', '-n', 'team-a'], { kubeconfig: admin });
    const ask = () =>
      tlsRequest(clusterOf(bob), '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
        token: 'tok-bob',
        body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'team-a' } },
      });
    await eventually(async () => {
      const review = await ask();
      assert.equal(review.status, 201, review.body);
      const status = review.json().status;
      assert.equal(status.incomplete, false);
      assert.equal(status.evaluationError, 'roles.rbac.authorization.k8s.io "no-such-role" not found');
      assert.ok(status.resourceRules.some((r: { resources?: string[] }) => r.resources?.includes('selfsubjectreviews')));
    });
    const noNamespace = await tlsRequest(clusterOf(bob), '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', {
      token: 'tok-bob',
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: {} },
    });
    assert.deepEqual([noNamespace.status, noNamespace.json().message], [400, 'no namespace on request']);
  });

  it('a ClusterRole with an aggregationRule holds the rules of the ClusterRoles its selectors match, and loses them with the label', async () => {
    await kubectl(['create', '-f', '-'], {
      kubeconfig: admin,
      input: clusterRole('widget-admin', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [WIDGET_ADMIN_LABEL]: 'true' } }] } }),
    });
    await kubectl(['create', 'clusterrolebinding', 'bob-widget-admin', '--clusterrole=widget-admin', '--user=bob'], { kubeconfig: admin });
    await kubectl(['create', 'clusterrole', 'widget-deleter', '--verb=delete,list', '--resource=widgets'], { kubeconfig: admin });
    assert.equal(await canI(bob, 'delete', 'widgets', '-n', 'default'), 'no');
    await kubectl(['label', 'clusterrole', 'widget-deleter', `${WIDGET_ADMIN_LABEL}=true`], { kubeconfig: admin });
    await eventually(async () => assert.equal(await canI(bob, 'delete', 'widgets', '-n', 'default'), 'yes'));
    const rules = JSON.parse(await kubectl(['get', 'clusterrole', 'widget-admin', '-o', 'jsonpath={.rules}'], { kubeconfig: admin }));
    assert.deepEqual(rules, [{ apiGroups: ['e2e.example.com'], resources: ['widgets'], verbs: ['delete', 'list'] }]);
    // A change to an aggregated role reaches the aggregating one.
    await kubectl(['patch', 'clusterrole', 'widget-deleter', '--type=json', '-p', '[{"op":"replace","path":"/rules/0/verbs","value":["delete"]}]'], { kubeconfig: admin });
    await eventually(async () => assert.equal(await canI(bob, 'list', 'widgets', '-n', 'default'), 'no'));
    assert.equal(await canI(bob, 'delete', 'widgets', '-n', 'default'), 'yes');
    await kubectl(['label', 'clusterrole', 'widget-deleter', `${WIDGET_ADMIN_LABEL}-`], { kubeconfig: admin });
    await eventually(async () => assert.equal(await canI(bob, 'delete', 'widgets', '-n', 'default'), 'no'));
    assert.equal(await kubectl(['get', 'clusterrole', 'widget-admin', '-o', 'jsonpath={.rules}'], { kubeconfig: admin }), '[]');
  });

  it('kubectl create clusterrole --aggregation-rule (sent as protobuf) makes an aggregating ClusterRole', async () => {
    await kubectl(['create', 'clusterrole', 'monitoring', '--aggregation-rule=example.com/aggregate-to-monitoring=true'], { kubeconfig: admin });
    await kubectl(['create', 'clusterrole', 'widget-watcher', '--verb=watch', '--resource=widgets'], { kubeconfig: admin });
    await kubectl(['label', 'clusterrole', 'widget-watcher', 'example.com/aggregate-to-monitoring=true'], { kubeconfig: admin });
    const role = async () => JSON.parse(await kubectl(['get', 'clusterrole', 'monitoring', '-o', 'json'], { kubeconfig: admin }));
    assert.deepEqual((await role()).aggregationRule, { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] });
    await eventually(async () => assert.deepEqual((await role()).rules, [{ apiGroups: ['e2e.example.com'], resources: ['widgets'], verbs: ['watch'] }]));
  });

  it("kube's admin, edit and view aggregate ClusterRoles by label, so a group's author grants through labels", async () => {
    const view = { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' };
    await kubectl(['create', '-f', '-'], { kubeconfig: admin, input: clusterRole('widgets-view', { labels: view, rules: [{ apiGroups: ['e2e.example.com'], resources: ['widgets'], verbs: ['get', 'list', 'watch'] }] }) });
    await kubectl(['create', 'rolebinding', 'alice-views', '--clusterrole=view', '--user=alice', '-n', 'default'], { kubeconfig: admin });
    await eventually(async () => assert.equal(await canI(alice, 'list', 'widgets', '-n', 'default'), 'yes'));
    assert.equal(await canI(alice, 'list', 'widgets', '-n', 'team-a'), 'no');
    assert.equal(await canI(alice, 'delete', 'widgets', '-n', 'default'), 'no');
    const listed = rows(await kubectl(['auth', 'can-i', '--list', '-n', 'default'], { kubeconfig: alice }));
    assert.ok(listed.some((r) => r.join(' ') === 'widgets.e2e.example.com [] [] [get list watch]'), JSON.stringify(listed));
    // view is aggregated into edit, and edit into admin.
    for (const role of ['edit', 'admin']) {
      await eventually(async () => assert.match(await kubectl(['get', 'clusterrole', role, '-o', 'jsonpath={.rules}'], { kubeconfig: admin }), /"widgets"/));
    }
    assert.match(await kubectl(['describe', 'clusterrole', 'admin'], { kubeconfig: admin }), /rolebindings\.rbac\.authorization\.k8s\.io\s+\[\]\s+\[\]\s+\[create delete deletecollection patch update get list watch\]/);
  });

  it('an aggregationRule needs at least one selector, and only one holding every permission may set it', async () => {
    const empty = await runKubectl(['create', '-f', '-'], { kubeconfig: admin, input: clusterRole('no-selectors', { aggregationRule: { clusterRoleSelectors: [] } }) });
    assert.match(empty.stderr, /aggregationRule\.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil/);
    const badOperator = clusterRole('bad-operator', { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'team', operator: 'Sometimes' }] }] } });
    assert.match((await runKubectl(['create', '-f', '-'], { kubeconfig: admin, input: badOperator })).stderr, /aggregationRule\.clusterRoleSelectors\[0\]: Invalid value: .*: invalid label selector\./);
    await kubectl(['create', 'clusterrole', 'role-maker', '--verb=create,update,get', '--resource=clusterroles.rbac.authorization.k8s.io'], { kubeconfig: admin });
    await kubectl(['create', 'clusterrolebinding', 'bob-makes-roles', '--clusterrole=role-maker', '--user=bob'], { kubeconfig: admin });
    const aggregating = clusterRole('bobs-aggregate', { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { team: 'bob' } }] } });
    await eventually(async () => {
      const refused = await runKubectl(['create', '-f', '-'], { kubeconfig: bob, input: aggregating });
      assert.equal(refused.stderr, 'Error from server (Forbidden): error when creating "STDIN": clusterroles.rbac.authorization.k8s.io "bobs-aggregate" is forbidden: must have cluster-admin privileges to use the aggregationRule\n');
    });
    // Without one, bob may make a ClusterRole with rules he holds.
    await kubectl(['create', '-f', '-'], { kubeconfig: bob, input: clusterRole('bobs-plain', { rules: [] }) });
  });

  it('kubectl auth whoami answers from SelfSubjectReview', async () => {
    assert.match(await kubectl(['auth', 'whoami'], { kubeconfig: alice }), /Username\s+alice\n.*Groups\s+\[devs system:authenticated\]/s);
  });

  it('the review kinds serve create only: 405 on their collections as kube words it, no path for one review, create alone in discovery and OpenAPI', async () => {
    for (const resource of ['tokenreviews', 'subjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'selfsubjectreviews']) {
      const listed = await runKubectl(['get', resource], { kubeconfig: admin });
      assert.equal(listed.stderr, 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n', resource);
    }
    const watched = await runKubectl(['get', 'localsubjectaccessreviews', '-n', 'default', '--watch'], { kubeconfig: admin });
    assert.equal(watched.stderr, 'Error from server (MethodNotAllowed): the server does not allow this method on the requested resource\n');
    const one = await runKubectl(['get', 'tokenreviews', 'any'], { kubeconfig: admin });
    assert.equal(one.stderr, 'Error from server (NotFound): the server could not find the requested resource\n');
    const deleted = await runKubectl(['delete', 'selfsubjectaccessreviews', 'any'], { kubeconfig: admin });
    assert.equal(deleted.stderr, 'Error from server (NotFound): the server could not find the requested resource\n');
    const resources = await kubectl(['api-resources', '-o', 'wide', '--api-group', 'authorization.k8s.io'], { kubeconfig: admin });
    for (const resource of ['localsubjectaccessreviews', 'selfsubjectaccessreviews', 'selfsubjectrulesreviews', 'subjectaccessreviews']) {
      assert.match(resources, new RegExp(`^${resource}\\s.*\\screate\\s*$`, 'm'));
    }
    const openAPI = JSON.parse(await kubectl(['get', '--raw', '/openapi/v3/apis/authentication.k8s.io/v1'], { kubeconfig: admin }));
    assert.deepEqual(Object.keys(openAPI.paths['/apis/authentication.k8s.io/v1/tokenreviews']), ['parameters', 'post']);
    assert.equal(openAPI.paths['/apis/authentication.k8s.io/v1/tokenreviews/{name}'], undefined);
    assert.match(await kubectl(['explain', 'selfsubjectrulesreviews.status'], { kubeconfig: admin }), /incomplete\s+<boolean> -required-/);
    // A namespace holding the namespaced review kind is still deleted (nothing of that kind to empty).
    await kubectl(['create', 'namespace', 'short-lived'], { kubeconfig: admin });
    await kubectl(['delete', 'namespace', 'short-lived', '--timeout=30s'], { kubeconfig: admin });
  });
});

describe('e2e: authorization rules under ABAC', function () {
  this.timeout(60_000);
  let dir: string;
  let server: TestServer;
  let alice: string;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'authz-rules-abac-'));
    writeFileSync(path.join(dir, 'tokens.csv'), TEST_TOKENS);
    const policy = (spec: object) => JSON.stringify({ apiVersion: 'abac.authorization.kubernetes.io/v1beta1', kind: 'Policy', spec });
    const policies = [
      policy({ user: 'alice', namespace: '*', resource: 'selfsubjectrulesreviews', apiGroup: 'authorization.k8s.io' }),
      policy({ user: 'alice', namespace: 'team-a', resource: 'widgets', apiGroup: 'e2e.example.com', readonly: true }),
    ];
    writeFileSync(path.join(dir, 'policy.jsonl'), `${policies.join('\n')}\n`);
    const flags = ['--authorization-mode', 'ABAC', '--authorization-policy-file', path.join(dir, 'policy.jsonl'), '--token-auth-file', path.join(dir, 'tokens.csv')];
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), flags);
    alice = writeKubeconfigFor(clusterOf(server.kubeconfig), path.join(dir, 'alice'), { token: 'tok-alice' });
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('kubectl auth can-i --list shows the policies of the user that apply in the namespace', async () => {
    assert.deepEqual(rows(await kubectl(['auth', 'can-i', '--list', '-n', 'team-a'], { kubeconfig: alice })), [
      ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'],
      ['selfsubjectrulesreviews.authorization.k8s.io', '[]', '[]', '[*]'],
      ['widgets.e2e.example.com', '[]', '[]', '[get list watch]'],
    ]);
    assert.deepEqual(rows(await kubectl(['auth', 'can-i', '--list', '-n', 'team-b'], { kubeconfig: alice })), [
      ['Resources', 'Non-Resource URLs', 'Resource Names', 'Verbs'],
      ['selfsubjectrulesreviews.authorization.k8s.io', '[]', '[]', '[*]'],
    ]);
  });
});

describe('e2e: authorization rules with a webhook authorizer', function () {
  this.timeout(60_000);
  let core: TestServer;
  let server: TestServer;

  before(async () => {
    core = await startTestServer('sqlite', () => undefined, ['--authorization-mode', 'AlwaysAllow']);
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), [
      '--authentication-kubeconfig', core.kubeconfig,
      '--authorization-kubeconfig', core.kubeconfig,
      '--authorization-mode', 'RBAC,Webhook',
      // The core cluster publishes no front-proxy settings, and need not: not worth a warning here.
      '--log-level', 'error',
    ]);
  });
  after(async () => {
    await server?.stop();
    await core?.stop();
  });

  it('kubectl auth can-i --list lists the RBAC rules and warns that the webhook may allow more', async () => {
    const listed = await runKubectl(['auth', 'can-i', '--list'], { kubeconfig: server.kubeconfig });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(rows(listed.stdout)[1], ['*.*', '[]', '[]', '[*]']);
    assert.equal(listed.stderr, 'Warning: the list may be incomplete: webhook authorizer does not support user rule resolution\n');
  });
});
