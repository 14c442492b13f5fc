import assert from 'node:assert/strict';
import { ABACAuthorizer, parseABACPolicies } from '../../../src/framework/auth/abac';
import { requestAttributes, resourceAttributes, type AuthorizationAttributes } from '../../../src/framework/auth/authorizer';
import type { UserInfo } from '../../../src/framework/registry/context';

const alice: UserInfo = { username: 'alice', groups: ['devs', 'system:authenticated'] };
const anonymous: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

function path(user: UserInfo, verb: string, p: string): AuthorizationAttributes {
  return requestAttributes(user, { isResourceRequest: false, path: p, verb });
}

function allowed(policy: string, attrs: AuthorizationAttributes): boolean {
  return new ABACAuthorizer(parseABACPolicies(policy, 'policy.jsonl')).authorize(attrs).decision === 'allow';
}

const v1beta1 = (spec: object) => JSON.stringify({ apiVersion: 'abac.authorization.kubernetes.io/v1beta1', kind: 'Policy', spec });

describe('auth/abac', () => {
  it('matches user, group, namespace, resource and apiGroup, each exactly or as "*"', () => {
    const policy = v1beta1({ user: 'alice', namespace: 'projectCaribou', resource: 'pods', apiGroup: '' });
    assert.equal(allowed(policy, resourceAttributes(alice, 'create', { apiGroup: '', resource: 'pods', namespace: 'projectCaribou' })), true);
    assert.equal(allowed(policy, resourceAttributes(alice, 'create', { apiGroup: '', resource: 'pods', subresource: 'log', namespace: 'projectCaribou' })), true);
    assert.equal(allowed(policy, resourceAttributes(alice, 'create', { apiGroup: 'apps', resource: 'pods', namespace: 'projectCaribou' })), false);
    assert.equal(allowed(policy, resourceAttributes(alice, 'create', { apiGroup: '', resource: 'pods', namespace: 'other' })), false);
    assert.equal(allowed(policy, resourceAttributes({ ...alice, username: 'bob' }, 'get', { apiGroup: '', resource: 'pods', namespace: 'projectCaribou' })), false);
    const clusterWide = v1beta1({ group: 'devs', namespace: '*', resource: '*', apiGroup: '*' });
    assert.equal(allowed(clusterWide, resourceAttributes(alice, 'delete', { apiGroup: 'x.io', resource: 'things' })), true);
    // An empty namespace matches cluster-scoped requests only.
    const clusterScoped = v1beta1({ group: 'devs', resource: '*', apiGroup: '*' });
    assert.equal(allowed(clusterScoped, resourceAttributes(alice, 'get', { apiGroup: '', resource: 'namespaces' })), true);
    assert.equal(allowed(clusterScoped, resourceAttributes(alice, 'get', { apiGroup: '', resource: 'pods', namespace: 'a' })), false);
  });

  it('readonly allows get, list and watch only; a policy without subject never matches', () => {
    const policy = v1beta1({ group: 'devs', readonly: true, namespace: '*', resource: '*', apiGroup: '*' });
    for (const verb of ['get', 'list', 'watch']) assert.equal(allowed(policy, resourceAttributes(alice, verb, { apiGroup: '', resource: 'pods', namespace: 'a' })), true);
    assert.equal(allowed(policy, resourceAttributes(alice, 'update', { apiGroup: '', resource: 'pods', namespace: 'a' })), false);
    assert.equal(allowed(v1beta1({ namespace: '*', resource: '*', apiGroup: '*' }), resourceAttributes(alice, 'get', { apiGroup: '', resource: 'pods' })), false);
  });

  it('"*" as user or group means every authenticated user, not anonymous ones', () => {
    const policy = v1beta1({ user: '*', nonResourcePath: '*' });
    assert.equal(allowed(policy, path(alice, 'get', '/version')), true);
    assert.equal(allowed(policy, path(anonymous, 'get', '/version')), false);
  });

  it('non-resource paths: "*", exact, or a prefix ending in "*"', () => {
    const prefix = v1beta1({ group: 'devs', nonResourcePath: '/foo/*' });
    assert.equal(allowed(prefix, path(alice, 'get', '/foo/bar/baz')), true);
    assert.equal(allowed(prefix, path(alice, 'get', '/foo/')), true);
    assert.equal(allowed(prefix, path(alice, 'get', '/foobar')), false);
    assert.equal(allowed(v1beta1({ group: 'devs', nonResourcePath: '/foo*' }), path(alice, 'get', '/foobar')), true);
    assert.equal(allowed(v1beta1({ group: 'devs', nonResourcePath: '/version' }), path(alice, 'get', '/version/')), false);
    // A resource rule says nothing about paths.
    assert.equal(allowed(v1beta1({ group: 'devs', namespace: '*', resource: '*', apiGroup: '*' }), path(alice, 'get', '/version')), false);
  });

  it('reads legacy unversioned lines: empty fields widen, any API group, and paths when namespace and resource are empty', () => {
    const legacy = parseABACPolicies('{"user":"alice"}\n{"readonly":true,"resource":"pods"}\n', 'policy');
    assert.deepEqual(legacy[0], { user: 'alice', group: '', readonly: false, apiGroup: '*', resource: '*', namespace: '*', nonResourcePath: '*' });
    assert.deepEqual(legacy[1], { user: '', group: 'system:authenticated', readonly: true, apiGroup: '*', resource: 'pods', namespace: '*', nonResourcePath: '' });
  });

  it('skips blank lines and comments; a bad line fails with its number', () => {
    assert.equal(parseABACPolicies(`# all of them\n\n${v1beta1({ user: 'alice' })}\n`, 'p').length, 1);
    assert.throws(() => parseABACPolicies(`${v1beta1({ user: 'a' })}\n{"apiVersion": "v2", "kind": "Policy"}\n`, 'p.jsonl'), /^Error: error reading policy file p\.jsonl, line 2: .*unknown policy kind "Policy" in version "v2"/);
    assert.throws(() => parseABACPolicies('{not json', 'p.jsonl'), /error reading policy file p\.jsonl, line 1/);
    assert.throws(() => parseABACPolicies(v1beta1({ user: 'a', readonly: 'yes' }), 'p'), /readonly must be a boolean/);
  });

  it('has no opinion when nothing matches, with kube-apiserver\'s reason', () => {
    const result = new ABACAuthorizer([]).authorize(path(alice, 'get', '/'));
    assert.deepEqual(result, { decision: 'no-opinion', reason: 'No policy matched.' });
  });
});
