import assert from 'node:assert/strict';
import type { APIService, ServiceState } from '../../../src/framework/aggregator';
import { mergedAggregatedDiscovery, mergedAPIGroupList, remoteGroups } from '../../../src/framework/aggregator/merged-discovery';
import { versionDiscoveryFromResourceList } from '../../../src/framework/aggregator/remote-discovery';
import type { InstalledGroup } from '../../../src/framework/server/discovery';

function state(group: string, version: string, priorities: [number, number], available: boolean, discovered = true): ServiceState {
  const apiService = {
    metadata: { name: `${version}.${group}` },
    spec: { group, version, service: { namespace: 'ns', name: 'svc' }, groupPriorityMinimum: priorities[0], versionPriority: priorities[1] },
  } as APIService;
  const discovery = discovered
    ? versionDiscoveryFromResourceList({ groupVersion: `${group}/${version}`, resources: [{ name: 'things', singularName: 'thing', namespaced: true, kind: 'Thing', verbs: ['get', 'list'] }] })
    : undefined;
  return { apiService, availability: { status: available ? 'True' : 'False', reason: available ? 'Passed' : 'FailedDiscoveryCheck', message: '' }, discovery };
}

const local: InstalledGroup[] = [
  { group: '', versions: ['v1'], resources: new Map() },
  { group: 'apiregistration.k8s.io', versions: ['v1'], resources: new Map([['v1', []]]) },
];

describe('merged discovery', () => {
  const services = [
    state('b.example.com', 'v1beta1', [1000, 9], true),
    state('b.example.com', 'v1', [1000, 15], true),
    state('a.example.com', 'v1', [2000, 15], false),
    state('c.example.com', 'v1', [500, 15], false, false),
    state('apiregistration.k8s.io', 'v1', [18000, 15], true),
  ];

  it('lists remote groups after its own, by group priority, each with its versions by priority', () => {
    const list = mergedAPIGroupList(local, remoteGroups(services, local));
    assert.deepEqual(
      list.groups.map((g) => [g.name, g.versions.map((v) => v.version), g.preferredVersion.version]),
      [
        ['apiregistration.k8s.io', ['v1'], 'v1'],
        ['a.example.com', ['v1'], 'v1'],
        ['b.example.com', ['v1', 'v1beta1'], 'v1'],
        ['c.example.com', ['v1'], 'v1'],
      ],
    );
  });

  it('keeps an unavailable group in aggregated discovery as Stale, and leaves out one never discovered', () => {
    const doc = mergedAggregatedDiscovery(local, remoteGroups(services, local), 'v2');
    assert.deepEqual(
      doc.items.map((g) => [g.metadata.name, g.versions.map((v) => `${v.version}:${v.freshness}`)]),
      [
        ['apiregistration.k8s.io', ['v1:Current']],
        ['a.example.com', ['v1:Stale']],
        ['b.example.com', ['v1:Current', 'v1beta1:Current']],
      ],
    );
    assert.deepEqual(doc.items[1].versions[0].resources[0], {
      resource: 'things',
      responseKind: { group: 'a.example.com', version: 'v1', kind: 'Thing' },
      scope: 'Namespaced',
      singularResource: 'thing',
      verbs: ['get', 'list'],
    });
  });
});

describe('aggregated discovery from a legacy resource list', () => {
  it('hangs subresources under their resource, with the kind of another group where named', () => {
    const version = versionDiscoveryFromResourceList({
      groupVersion: 'apps.example.com/v1',
      resources: [
        { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] },
        { name: 'deployments', singularName: 'deployment', namespaced: true, kind: 'Deployment', verbs: ['list', 'get'], shortNames: ['deploy'] },
        { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: ['get'] },
      ],
    });
    assert.deepEqual(version, {
      version: 'v1',
      resources: [
        {
          resource: 'deployments',
          responseKind: { group: 'apps.example.com', version: 'v1', kind: 'Deployment' },
          scope: 'Namespaced',
          singularResource: 'deployment',
          verbs: ['get', 'list'],
          shortNames: ['deploy'],
          subresources: [
            { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: ['get', 'patch', 'update'] },
            { subresource: 'status', responseKind: { group: 'apps.example.com', version: 'v1', kind: 'Deployment' }, verbs: ['get'] },
          ],
        },
      ],
    });
  });
});
