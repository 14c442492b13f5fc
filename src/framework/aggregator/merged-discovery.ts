/**
 * The aggregator's /apis: its own groups, then every group registered by
 * APIServices with a backend, in both the legacy and the aggregated form. A group
 * whose backend is down keeps its last known resources marked Stale (as
 * kube-apiserver's aggregated discovery does) and never hides the others.
 */
import { compareKubeVersions } from '../runtime';
import type { InstalledGroup } from '../server/discovery';
import { apiGroupList } from '../server/discovery';
import { aggregatedDiscovery, type APIGroupDiscovery, type APIGroupDiscoveryList, type DiscoveryVersion } from '../server/discovery-aggregated';
import type { ServiceState } from './availability-controller';

interface RemoteGroup {
  name: string;
  priority: number;
  /** Most preferred first. */
  services: ServiceState[];
}

/** Remote groups not served locally, highest groupPriorityMinimum first, versions by priority. */
export function remoteGroups(services: ServiceState[], local: InstalledGroup[]): RemoteGroup[] {
  const localNames = new Set(local.map((g) => g.group));
  const byGroup = new Map<string, RemoteGroup>();
  for (const state of services) {
    const spec = state.apiService.spec!;
    const name = spec.group ?? '';
    if (localNames.has(name)) continue;
    const group = byGroup.get(name) ?? { name, priority: 0, services: [] };
    group.priority = Math.max(group.priority, spec.groupPriorityMinimum);
    group.services.push(state);
    byGroup.set(name, group);
  }
  for (const group of byGroup.values()) {
    group.services.sort((a, b) => b.apiService.spec!.versionPriority - a.apiService.spec!.versionPriority || -compareKubeVersions(a.apiService.spec!.version!, b.apiService.spec!.version!));
  }
  return [...byGroup.values()].sort((a, b) => b.priority - a.priority || a.name.localeCompare(b.name));
}

/** An APIGroup (legacy discovery) of a remote group. */
export function remoteAPIGroup(group: RemoteGroup) {
  const versions = group.services.map((s) => ({ groupVersion: `${group.name}/${s.apiService.spec!.version}`, version: s.apiService.spec!.version! }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: group.name, versions, preferredVersion: versions[0] };
}

export function mergedAPIGroupList(local: InstalledGroup[], remote: RemoteGroup[]) {
  const list = apiGroupList(local);
  const groups = remote.map((g) => {
    const { kind: _k, apiVersion: _a, ...rest } = remoteAPIGroup(g);
    return rest;
  });
  return { ...list, groups: [...list.groups, ...groups] };
}

function remoteGroupDiscovery(group: RemoteGroup): APIGroupDiscovery | undefined {
  const versions = group.services
    .filter((s) => s.discovery)
    .map((s) => ({ ...s.discovery!, freshness: s.availability.status === 'True' ? ('Current' as const) : ('Stale' as const) }));
  if (versions.length === 0) return undefined;
  return { metadata: { name: group.name, creationTimestamp: null }, versions };
}

export function mergedAggregatedDiscovery(local: InstalledGroup[], remote: RemoteGroup[], format: DiscoveryVersion): APIGroupDiscoveryList {
  const list = aggregatedDiscovery(local.filter((g) => g.group !== ''), format);
  const items = remote.map(remoteGroupDiscovery).filter((g): g is APIGroupDiscovery => g !== undefined);
  return { ...list, items: [...list.items, ...items] };
}
