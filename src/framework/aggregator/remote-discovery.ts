/**
 * A backend's legacy discovery of one group/version (APIResourceList) turned into
 * the aggregated form (apidiscovery.k8s.io), so any backend — not only one that
 * serves aggregated discovery — joins the aggregator's document.
 */
import type { APIResource } from '../server/discovery';
import type { APIResourceDiscovery, APIVersionDiscovery } from '../server/discovery-aggregated';

export interface APIResourceList {
  groupVersion: string;
  resources: APIResource[];
}

export function versionDiscoveryFromResourceList(list: APIResourceList): Omit<APIVersionDiscovery, 'freshness'> {
  const [group, version] = list.groupVersion.includes('/') ? list.groupVersion.split('/') : ['', list.groupVersion];
  const byName = new Map<string, APIResourceDiscovery>();
  const sorted = [...list.resources].sort((a, b) => a.name.localeCompare(b.name));
  for (const r of sorted.filter((r) => !r.name.includes('/'))) {
    byName.set(r.name, {
      resource: r.name,
      responseKind: { group: r.group ?? group, version: r.version ?? version, kind: r.kind },
      scope: r.namespaced ? 'Namespaced' : 'Cluster',
      singularResource: r.singularName,
      verbs: [...r.verbs].sort(),
      ...(r.shortNames?.length ? { shortNames: [...r.shortNames] } : {}),
      ...(r.categories?.length ? { categories: [...r.categories] } : {}),
    });
  }
  for (const r of sorted.filter((r) => r.name.includes('/'))) {
    const [parent, subresource] = r.name.split('/', 2);
    const owner = byName.get(parent);
    if (!owner) continue;
    (owner.subresources ??= []).push({
      subresource,
      responseKind: { group: r.group ?? group, version: r.version ?? version, kind: r.kind },
      verbs: [...r.verbs].sort(),
    });
  }
  return { version, resources: [...byName.values()] };
}
