import assert from 'node:assert/strict';
import { intersect, selectClusters, type ClusterCandidate } from '../../../src/controllers/federation/placement';
import { matchPropagationPolicy, overridesFor, type PolicyLike } from '../../../src/controllers/federation/policy-selection';
import type { OverridePolicySpec, PropagationPolicySpec } from '../../../src/apis/federation/policy-types';

const CLUSTERS: ClusterCandidate[] = [
  { name: 'east', labels: { region: 'east', tier: 'edge' } },
  { name: 'west', labels: { region: 'west', tier: 'edge' } },
  { name: 'core', labels: { region: 'east' } },
];
const names = (s: Set<string>) => [...s].sort();

describe('federation controller: placement and policy selection', () => {
  it("selects clusters by KubeFed's rules", () => {
    assert.deepEqual(names(selectClusters(undefined, CLUSTERS)), [], 'no placement: none');
    assert.deepEqual(names(selectClusters({}, CLUSTERS)), [], 'neither clusters nor selector: none');
    assert.deepEqual(names(selectClusters({ clusterSelector: {} }, CLUSTERS)), ['core', 'east', 'west'], 'an empty selector: all');
    assert.deepEqual(names(selectClusters({ clusterSelector: { matchLabels: { tier: 'edge' } } }, CLUSTERS)), ['east', 'west']);
    assert.deepEqual(
      names(selectClusters({ clusterSelector: { matchExpressions: [{ key: 'region', operator: 'In', values: ['east'] }] } }, CLUSTERS)),
      ['core', 'east'],
    );
    assert.deepEqual(names(selectClusters({ clusters: [{ name: 'west' }, { name: 'gone' }], clusterSelector: {} }, CLUSTERS)), ['gone', 'west'], 'named clusters win');
    assert.deepEqual(names(selectClusters({ clusters: [], clusterSelector: {} }, CLUSTERS)), [], 'an empty list still wins');
  });

  it('narrows a placement by a namespace placement, when there is one', () => {
    assert.deepEqual(names(intersect(new Set(['east', 'west']), new Set(['west', 'core']))), ['west']);
    assert.deepEqual(names(intersect(new Set(['east', 'west']), undefined)), ['east', 'west']);
  });

  const obj = { apiVersion: 'nginx.example.com/v1', kind: 'Upstream', metadata: { name: 'api', namespace: 'shop', labels: { app: 'api' } } };
  const policy = (name: string, namespace: string | undefined, selector: Record<string, unknown>): PolicyLike<PropagationPolicySpec> => ({
    metadata: { name, namespace },
    spec: { resourceSelectors: [{ apiVersion: 'nginx.example.com/v1', kind: 'Upstream', ...selector }] },
  });

  it('picks the propagation policy: its namespace first, then the most specific selector, then by name', () => {
    const byKind = policy('b-kind', 'shop', {});
    const byLabel = policy('z-label', 'shop', { labelSelector: { matchLabels: { app: 'api' } } });
    const byName = policy('y-name', 'shop', { name: 'api' });
    const otherNamespace = policy('a-other', 'elsewhere', { name: 'api' });
    const clusterWide = policy('a-cluster', undefined, { name: 'api' });
    assert.equal(matchPropagationPolicy(obj, [byKind, byLabel, otherNamespace], [clusterWide])?.metadata.name, 'z-label');
    assert.equal(matchPropagationPolicy(obj, [byKind, byLabel, byName], [clusterWide])?.metadata.name, 'y-name');
    assert.equal(matchPropagationPolicy(obj, [policy('a-kind', 'shop', {}), byKind], [])?.metadata.name, 'a-kind');
    assert.equal(matchPropagationPolicy(obj, [otherNamespace], [clusterWide])?.metadata.name, 'a-cluster');
    assert.equal(matchPropagationPolicy(obj, [], [policy('c', undefined, { namespace: 'elsewhere' })]), undefined);
    assert.equal(matchPropagationPolicy(obj, [policy('x', 'shop', { labelSelector: { matchLabels: { app: 'web' } } })], []), undefined);
  });

  it('applies every override policy that selects the object, cluster-wide first, only in the clusters a rule targets', () => {
    const override = (name: string, namespace: string | undefined, rules: OverridePolicySpec['overrideRules']): PolicyLike<OverridePolicySpec> => ({
      metadata: { name, namespace },
      spec: { resourceSelectors: [{ apiVersion: 'nginx.example.com/v1', kind: 'Upstream' }], overrideRules: rules },
    });
    const namespaced = [override('ns', 'shop', [{ targetCluster: { clusters: [{ name: 'west' }] }, overrides: [{ path: '/spec/keepalive', value: 64 }] }])];
    const clusterWide = [override('all', undefined, [{ overrides: [{ path: '/spec/keepalive', value: 1 }] }])];
    assert.deepEqual(overridesFor(obj, 'west', CLUSTERS, namespaced, clusterWide).map((o) => o.value), [1, 64]);
    assert.deepEqual(overridesFor(obj, 'east', CLUSTERS, namespaced, clusterWide).map((o) => o.value), [1]);
    assert.deepEqual(overridesFor({ ...obj, kind: 'Endpoint' }, 'west', CLUSTERS, namespaced, clusterWide), []);
  });
});
