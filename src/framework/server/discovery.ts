/**
 * Legacy discovery documents: APIVersions (/api), APIGroupList (/apis), APIGroup
 * (/apis/<group>) and APIResourceList (/api/v1, /apis/<group>/<version>).
 */
import { createHash } from 'node:crypto';
import type { InstalledResource } from '../endpoints/installer';

export interface InstalledGroup {
  group: string;
  /** Versions in preference order. */
  versions: string[];
  resources: Map<string, InstalledResource[]>;
}

/** base64 of the first 8 bytes of sha256("<group>/<version>/<kind>") of the storage version. */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

/** Main resources before their subresources, sorted by path as kube-apiserver does. */
export function apiResourcesOf(resources: InstalledResource[]): APIResource[] {
  const out: APIResource[] = [];
  const sorted = [...resources].sort((a, b) => a.info.plural.localeCompare(b.info.plural));
  for (const r of sorted) {
    const { info } = r;
    const storage = r.store.persistedKind;
    out.push({
      name: info.plural,
      singularName: info.singular,
      namespaced: info.namespaced,
      kind: info.gvk.kind,
      verbs: [...r.verbs].sort(),
      ...(info.shortNames.length ? { shortNames: info.shortNames } : {}),
      ...(info.categories.length ? { categories: info.categories } : {}),
      storageVersionHash: storageVersionHash(storage.group, storage.version, storage.kind),
    });
    for (const [sub, { verbs, kind }] of Object.entries(r.subresources).sort(([a], [b]) => a.localeCompare(b))) {
      // group and version only for a kind of another group version (a Scale is autoscaling/v1).
      const elsewhere = kind.group !== info.gvk.group || kind.version !== info.gvk.version;
      out.push({
        name: `${info.plural}/${sub}`,
        singularName: '',
        namespaced: info.namespaced,
        ...(elsewhere ? { group: kind.group, version: kind.version } : {}),
        kind: kind.kind,
        verbs: [...verbs].sort(),
      });
    }
  }
  return out;
}

export function apiResourceList(group: string, version: string, resources: InstalledResource[]) {
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources: apiResourcesOf(resources) };
}

export function apiGroup(g: InstalledGroup) {
  const versions = g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v }));
  return { kind: 'APIGroup', apiVersion: 'v1', name: g.group, versions, preferredVersion: versions[0] };
}

export function apiGroupList(groups: InstalledGroup[]) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups.filter((g) => g.group !== '').map((g) => {
      const { kind: _k, apiVersion: _a, ...group } = apiGroup(g);
      return group;
    }),
  };
}

export function apiVersions(core: InstalledGroup | undefined) {
  return {
    kind: 'APIVersions',
    versions: core ? core.versions : [],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '' }],
  };
}
