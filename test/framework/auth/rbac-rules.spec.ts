import assert from 'node:assert/strict';
import { resourceAttributes, requestAttributes } from '../../../src/framework/auth/authorizer';
import { RBACAuthorizer } from '../../../src/framework/auth/rbac/authorizer';
import { describeAtomicRule, ruleAllows, uncoveredRules } from '../../../src/framework/auth/rbac/rules';
import type { StoredObject } from '../../../src/framework/storage/interface';

const alice = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const RBAC = 'rbac.authorization.k8s.io';

function obj(fields: Record<string, unknown>, name: string, namespace?: string): StoredObject {
  return { metadata: { name, namespace }, ...fields };
}

describe('auth/rbac', () => {
  it('matches verbs, groups, resources, subresources and names as RBAC does', () => {
    const rule = { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], resourceNames: [] };
    assert.equal(ruleAllows(rule, resourceAttributes(alice, 'get', { apiGroup: 'apps', resource: 'deployments', name: 'web' })), true);
    assert.equal(ruleAllows(rule, resourceAttributes(alice, 'get', { apiGroup: 'apps', resource: 'deployments', subresource: 'scale' })), true);
    assert.equal(ruleAllows(rule, resourceAttributes(alice, 'get', { apiGroup: 'apps', resource: 'deployments', subresource: 'status' })), false);
    assert.equal(ruleAllows(rule, resourceAttributes(alice, 'delete', { apiGroup: 'apps', resource: 'deployments' })), false);
    assert.equal(ruleAllows(rule, resourceAttributes(alice, 'get', { apiGroup: '', resource: 'deployments' })), false);
    const anyScale = { verbs: ['*'], apiGroups: ['*'], resources: ['*/scale'] };
    assert.equal(ruleAllows(anyScale, resourceAttributes(alice, 'update', { apiGroup: 'x', resource: 'things', subresource: 'scale' })), true);
    assert.equal(ruleAllows(anyScale, resourceAttributes(alice, 'update', { apiGroup: 'x', resource: 'things' })), false);
    const named = { verbs: ['get'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['settings'] };
    assert.equal(ruleAllows(named, resourceAttributes(alice, 'get', { apiGroup: '', resource: 'configmaps', name: 'settings' })), true);
    assert.equal(ruleAllows(named, resourceAttributes(alice, 'list', { apiGroup: '', resource: 'configmaps' })), false);
    const paths = { verbs: ['get'], nonResourceURLs: ['/healthz', '/apis/*'] };
    assert.equal(ruleAllows(paths, requestAttributes(alice, { isResourceRequest: false, path: '/apis/apps/v1', verb: 'get' })), true);
    assert.equal(ruleAllows(paths, requestAttributes(alice, { isResourceRequest: false, path: '/healthz/etcd', verb: 'get' })), false);
  });

  it('finds what a set of rules does not cover, part by part', () => {
    const held = [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', 'pods/log'] }, { verbs: ['*'], apiGroups: ['apps'], resources: ['*/scale'] }];
    assert.deepEqual(uncoveredRules(held, [{ verbs: ['get'], apiGroups: [''], resources: ['pods/log'] }]), []);
    assert.deepEqual(uncoveredRules(held, [{ verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments/scale'] }]), []);
    const missing = uncoveredRules(held, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }]);
    assert.deepEqual(missing.map(describeAtomicRule), ['{APIGroups:[""], Resources:["pods"], Verbs:["delete"]}']);
    // A rule limited to names covers only those names.
    const byName = [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }];
    assert.deepEqual(uncoveredRules(byName, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }]), []);
    assert.equal(uncoveredRules(byName, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }]).length, 1);
    assert.deepEqual(uncoveredRules([{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }], [{ verbs: ['get'], nonResourceURLs: ['/logs/app'] }]), []);
  });

  it('applies cluster bindings everywhere and role bindings in their namespace, by user, group or service account', () => {
    const authorizer = new RBACAuthorizer();
    const readPods = { rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] };
    authorizer.attach({
      roles: () => [obj(readPods, 'pod-reader', 'team-a')],
      clusterRoles: () => [obj({ rules: [{ verbs: ['list'], apiGroups: [''], resources: ['namespaces'] }] }, 'ns-lister')],
      roleBindings: () => [
        obj({ roleRef: { apiGroup: RBAC, kind: 'Role', name: 'pod-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'builder' }] }, 'sa-reads', 'team-a'),
        obj({ roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'ns-lister' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: 'alice' }] }, 'alice-in-b', 'team-b'),
      ],
      clusterRoleBindings: () => [obj({ roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'ns-lister' }, subjects: [{ kind: 'Group', apiGroup: RBAC, name: 'devs' }] }, 'devs-list')],
    });
    const builder = { username: 'system:serviceaccount:team-a:builder', groups: ['system:serviceaccounts'] };
    assert.deepEqual(authorizer.authorize(resourceAttributes(alice, 'list', { apiGroup: '', resource: 'namespaces' })), {
      decision: 'allow',
      reason: 'RBAC: allowed by ClusterRoleBinding "devs-list" of ClusterRole "ns-lister" to Group "devs"',
    });
    assert.equal(authorizer.authorize(resourceAttributes(builder, 'get', { apiGroup: '', resource: 'pods', namespace: 'team-a' })).decision, 'allow');
    assert.equal(authorizer.authorize(resourceAttributes(builder, 'get', { apiGroup: '', resource: 'pods', namespace: 'team-b' })).decision, 'no-opinion');
    assert.deepEqual(authorizer.authorize(resourceAttributes(alice, 'get', { apiGroup: '', resource: 'pods', namespace: 'team-a' })), { decision: 'no-opinion' });
  });
});
