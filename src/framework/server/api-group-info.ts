/**
 * What a group hands the server: for each version, the Stores of its resources,
 * keyed by resource path — `upstreams`, and `upstreams/status` for the status
 * subresource (the same Store serves both).
 */
import type { Scheme } from '../runtime';
import type { Store } from '../registry/store';

export interface APIGroupInfo {
  /** '' for the core group (/api/v1). */
  group: string;
  scheme: Scheme;
  /** version → resource path → Store. */
  versionedResources: Record<string, Record<string, Store>>;
  /** Versions in preference order; default: the scheme's priority for the group. */
  prioritizedVersions?: string[];
}

export function newAPIGroupInfo(group: string, scheme: Scheme): APIGroupInfo {
  return { group, scheme, versionedResources: {} };
}

/**
 * One APIGroupInfo per group: the resources several installers give one group
 * (the core group's namespaces and a core cluster's configmaps) served together,
 * since installing a group again replaces it. Throws when two give the same resource.
 */
export function mergeAPIGroupInfos(infos: APIGroupInfo[]): APIGroupInfo[] {
  const byGroup = new Map<string, APIGroupInfo>();
  for (const info of infos) {
    const merged = byGroup.get(info.group);
    if (!merged) {
      byGroup.set(info.group, { ...info, versionedResources: Object.fromEntries(Object.entries(info.versionedResources).map(([v, r]) => [v, { ...r }])) });
      continue;
    }
    for (const [version, resources] of Object.entries(info.versionedResources)) {
      const target = (merged.versionedResources[version] ??= {});
      for (const [path, store] of Object.entries(resources)) {
        if (target[path]) throw new Error(`${version}/${path} of group "${info.group}" is installed twice`);
        target[path] = store;
      }
    }
  }
  return [...byGroup.values()];
}
