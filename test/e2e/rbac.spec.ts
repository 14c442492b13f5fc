/**
 * RBAC served by the server itself, driven with kubectl as a cluster admin
 * would: the bootstrap policy, roles and bindings taking effect, escalation
 * prevention, `kubectl auth can-i`, and impersonation with `kubectl --as`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import { clusterOf, tlsRequest } from '../support/credentials';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { startRBACServer, type RBACServer } from './rbac-server.fixture';

function widget(name: string): string {
  return JSON.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name }, spec: { size: 1 } });
}

describe('e2e: RBAC', function () {
  this.timeout(60_000);
  let rbac: RBACServer | undefined;
  let dir: string;
  let admin: string;
  let alice: string;
  let bob: string;
  const canI = async (kubeconfig: string, ...args: string[]) => (await runKubectl(['auth', 'can-i', ...args], { kubeconfig })).stdout.trim();

  before(async () => {
    rbac = await startRBACServer();
    ({ dir, admin, alice, bob } = rbac);
    await kubectl(['create', '-n', 'default', '-f', '-'], { kubeconfig: admin, input: widget('w1') });
  });
  after(async () => {
    await rbac?.stop();
  });

  it('starts with the bootstrap policy: discovery, self-reviews and public info for everyone, all for system:masters', async () => {
    const roles = await kubectl(['get', 'clusterroles', '-o', 'name'], { kubeconfig: admin });
    for (const name of ['cluster-admin', 'system:discovery', 'system:basic-user', 'system:public-info-viewer']) assert.match(roles, new RegExp(`clusterrole.rbac.authorization.k8s.io/${name}\\n`));
    assert.match(await kubectl(['api-resources'], { kubeconfig: alice }), /widgets/);
    assert.match(await kubectl(['auth', 'whoami'], { kubeconfig: alice }), /alice/);
    assert.equal(await canI(alice, 'list', 'widgets'), 'no');
    const refused = await runKubectl(['get', 'widgets', '-n', 'default'], { kubeconfig: alice });
    // RBAC gives no reason: the message ends with what was refused.
    assert.match(refused.stderr, /widgets\.e2e\.example\.com is forbidden: User "alice" cannot list resource "widgets" in API group "e2e\.example\.com" in the namespace "default"\n/);
    assert.equal(await canI(admin, '*', '*'), 'yes');
  });

  it('a Role and a RoleBinding made with kubectl grant exactly what they say, in their namespace', async () => {
    await kubectl(['create', 'role', 'widget-reader', '--verb=get,list,watch', '--resource=widgets', '-n', 'default'], { kubeconfig: admin });
    await kubectl(['create', 'rolebinding', 'alice-reads', '--role=widget-reader', '--user=alice', '-n', 'default'], { kubeconfig: admin });
    await eventually(async () => assert.match(await kubectl(['get', 'widgets', '-n', 'default'], { kubeconfig: alice }), /w1/));
    assert.equal(await canI(alice, 'list', 'widgets', '-n', 'default'), 'yes');
    assert.equal(await canI(alice, 'get', 'widgets/w1', '-n', 'default'), 'yes');
    assert.equal(await canI(alice, 'list', 'widgets', '-n', 'kube-system'), 'no');
    assert.equal(await canI(alice, 'create', 'widgets', '-n', 'default'), 'no');
    assert.equal(await canI(bob, 'list', 'widgets', '-n', 'default'), 'no');
  });

  it('a ClusterRole bound to a group applies to its members everywhere', async () => {
    await kubectl(['create', 'clusterrole', 'namespace-viewer', '--verb=get,list', '--resource=namespaces'], { kubeconfig: admin });
    await kubectl(['create', 'clusterrolebinding', 'devs-view-namespaces', '--clusterrole=namespace-viewer', '--group=devs'], { kubeconfig: admin });
    await eventually(async () => assert.match(await kubectl(['get', 'namespaces'], { kubeconfig: alice }), /kube-system/));
    assert.equal(await canI(bob, 'list', 'namespaces'), 'no');
    // Deleting the binding takes the permission away again.
    await kubectl(['delete', 'clusterrolebinding', 'devs-view-namespaces'], { kubeconfig: admin });
    await eventually(async () => assert.equal(await canI(alice, 'list', 'namespaces'), 'no'));
  });

  it('refuses escalation: no role with permissions one lacks, no binding to such a role, unless escalate or bind is granted', async () => {
    await kubectl(['create', 'role', 'rbac-manager', '--verb=get,list,create,update', '--resource=roles.rbac.authorization.k8s.io,rolebindings.rbac.authorization.k8s.io', '-n', 'default'], { kubeconfig: admin });
    await kubectl(['create', 'rolebinding', 'bob-manages-rbac', '--role=rbac-manager', '--user=bob', '-n', 'default'], { kubeconfig: admin });
    await eventually(async () => assert.equal(await canI(bob, 'create', 'roles', '-n', 'default'), 'yes'));

    const grab = await runKubectl(['create', 'role', 'widget-deleter', '--verb=delete', '--resource=widgets', '-n', 'default'], { kubeconfig: bob });
    assert.notEqual(grab.code, 0);
    assert.match(
      grab.stderr,
      /roles\.rbac\.authorization\.k8s\.io "widget-deleter" is forbidden: user "bob" \(groups=\["system:authenticated"\]\) is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["e2e\.example\.com"\], Resources:\["widgets"\], Verbs:\["delete"\]\}/,
    );
    // What bob holds himself he may hand out.
    await kubectl(['create', 'role', 'role-lister', '--verb=list', '--resource=roles.rbac.authorization.k8s.io', '-n', 'default'], { kubeconfig: bob });

    const bind = await runKubectl(['create', 'rolebinding', 'bob-reads', '--role=widget-reader', '--user=bob', '-n', 'default'], { kubeconfig: bob });
    assert.match(bind.stderr, /is attempting to grant RBAC permissions not currently held:\n\{APIGroups:\["e2e\.example\.com"\], Resources:\["widgets"\], Verbs:\["get"\]\}/);

    await kubectl(['create', 'role', 'bind-widget-reader', '--verb=bind', '--resource=roles.rbac.authorization.k8s.io', '--resource-name=widget-reader', '-n', 'default'], { kubeconfig: admin });
    await kubectl(['create', 'rolebinding', 'bob-may-bind', '--role=bind-widget-reader', '--user=bob', '-n', 'default'], { kubeconfig: admin });
    await eventually(async () => void (await kubectl(['create', 'rolebinding', 'bob-reads', '--role=widget-reader', '--user=bob', '-n', 'default'], { kubeconfig: bob })));
    await eventually(async () => assert.equal(await canI(bob, 'list', 'widgets', '-n', 'default'), 'yes'));
  });

  it('validates roles and bindings, and roleRef never changes', async () => {
    const bad = await runKubectl(['create', '-f', '-'], {
      kubeconfig: admin,
      input: JSON.stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'bad', namespace: 'default' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/x'] }] }),
    });
    assert.match(bad.stderr, /rules\[0\]\.nonResourceURLs: Invalid value: "\/x": namespaced rules cannot apply to non-resource URLs/);
    const changed = await runKubectl(['patch', 'rolebinding', 'alice-reads', '-n', 'default', '--type=merge', '-p', '{"roleRef":{"name":"rbac-manager"}}'], { kubeconfig: admin });
    assert.match(changed.stderr, /roleRef: Invalid value: .*cannot change roleRef/);
  });

  it('honours kubectl --as only for users allowed to impersonate', async () => {
    assert.match(await kubectl(['get', 'widgets', '-n', 'default', '--as', 'alice'], { kubeconfig: admin }), /w1/);
    assert.equal(await canI(admin, 'create', 'widgets', '-n', 'default', '--as', 'alice'), 'no');
    // Discovery answered from a warm cache, as in everyday use: the refused request is the GET itself.
    const cacheDir = mkdtempSync(path.join(dir, 'cache-'));
    await kubectl(['api-resources'], { kubeconfig: alice, cacheDir });
    const refused = await runKubectl(['get', 'widgets', '-n', 'default', '--as', 'bob'], { kubeconfig: alice, cacheDir });
    assert.match(refused.stderr, /users "bob" is forbidden: User "alice" cannot impersonate resource "users" in API group "" at the cluster scope/);

    await kubectl(['create', 'clusterrole', 'impersonate-carol', '--verb=impersonate', '--resource=users', '--resource-name=carol'], { kubeconfig: admin });
    await kubectl(['create', 'clusterrolebinding', 'alice-as-carol', '--clusterrole=impersonate-carol', '--user=alice'], { kubeconfig: admin });
    await eventually(async () => assert.match(await kubectl(['auth', 'whoami', '--as', 'carol'], { kubeconfig: alice }), /carol/));
    const withGroup = await runKubectl(['get', 'widgets', '-n', 'default', '--as', 'carol', '--as-group', 'system:masters'], { kubeconfig: alice, cacheDir });
    assert.match(withGroup.stderr, /groups "system:masters" is forbidden: User "alice" cannot impersonate resource "groups" in API group "" at the cluster scope/);
    const res = await tlsRequest(clusterOf(admin), '/api/v1/namespaces', { token: 'tok-alice', headers: { 'Impersonate-Group': 'devs' } });
    assert.equal(res.status, 400);
  });
});
