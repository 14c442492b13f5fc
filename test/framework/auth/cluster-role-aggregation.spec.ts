import assert from 'node:assert/strict';
import { aggregatedRules } from '../../../src/framework/auth/rbac/cluster-role-aggregation';
import type { StoredObject } from '../../../src/framework/storage/interface';

function role(name: string, labels: Record<string, string>, rules: object[], aggregationRule?: object): StoredObject {
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name, labels }, rules, aggregationRule } as StoredObject;
}

const read = { apiGroups: [''], resources: ['configmaps'], verbs: ['get'] };
const write = { apiGroups: [''], resources: ['configmaps'], verbs: ['update'] };
const widgets = { apiGroups: ['example.com'], resources: ['widgets'], verbs: ['*'] };

describe('auth/rbac: ClusterRole aggregation', () => {
  it('gathers the rules of the matching ClusterRoles, selector by selector, roles in name order, each rule once', () => {
    const aggregating = role('team', {}, [], { clusterRoleSelectors: [{ matchLabels: { 'to-team': 'true' } }, { matchExpressions: [{ key: 'extra', operator: 'Exists' }] }] });
    const all = [
      aggregating,
      role('b-writer', { 'to-team': 'true' }, [write, read]),
      role('a-reader', { 'to-team': 'true' }, [read]),
      role('c-widgets', { extra: 'x' }, [widgets, read]),
      role('unlabelled', {}, [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }]),
    ];
    assert.deepEqual(aggregatedRules(aggregating, all), [read, write, widgets]);
  });

  it('never gathers its own rules, and gathers none when nothing matches', () => {
    const selfMatching = role('self', { 'to-self': 'true' }, [read], { clusterRoleSelectors: [{ matchLabels: { 'to-self': 'true' } }] });
    assert.deepEqual(aggregatedRules(selfMatching, [selfMatching]), []);
  });
});
