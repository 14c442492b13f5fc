/**
 * Aggregated discovery (apidiscovery.k8s.io v2 and v2beta1): every group, version
 * and resource in one document on /api and /apis, chosen by the Accept header, so a
 * client learns the whole server in two requests instead of one per group-version.
 */
import type { InstalledResource } from '../endpoints/installer';
import { parseAccept } from '../endpoints/negotiation';
import type { InstalledGroup } from './discovery';

export const DISCOVERY_GROUP = 'apidiscovery.k8s.io';
export const DISCOVERY_LIST_KIND = 'APIGroupDiscoveryList';

/** The versions of apidiscovery.k8s.io served; the two bodies differ only in apiVersion. */
export type DiscoveryVersion = 'v2' | 'v2beta1';

/** The content type that tells clients the body is aggregated (they compare g, v and as). */
export function aggregatedContentType(version: DiscoveryVersion): string {
  return `application/json;g=${DISCOVERY_GROUP};v=${version};as=${DISCOVERY_LIST_KIND}`;
}

/**
 * The discovery format an Accept header asks for: an apidiscovery version, or
 * 'legacy' for plain JSON (APIVersions / APIGroupList). Clauses are taken best
 * first; one naming another transform is skipped. Undefined when nothing fits.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryVersion | 'legacy' | undefined {
  for (const range of parseAccept(accept)) {
    if (range.type !== 'application/json' && range.type !== 'application/*' && range.type !== '*/*') continue;
    const { as, g, v } = range.params;
    if (as === undefined) return 'legacy';
    if (as === DISCOVERY_LIST_KIND && g === DISCOVERY_GROUP && (v === 'v2' || v === 'v2beta1')) return v;
  }
  return undefined;
}

interface GroupVersionKindRef {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: GroupVersionKindRef;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: GroupVersionKindRef;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  /** Stale: an aggregated server that did not answer; its last known resources. */
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export interface APIGroupDiscoveryList {
  kind: typeof DISCOVERY_LIST_KIND;
  apiVersion: string;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

function resourceDiscovery(r: InstalledResource): APIResourceDiscovery {
  const { info } = r;
  const subresources = Object.entries(r.subresources)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([subresource, sub]) => ({ subresource, responseKind: { ...sub.kind }, verbs: [...sub.verbs].sort() }));
  return {
    resource: info.plural,
    responseKind: { ...info.gvk },
    scope: info.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: info.singular,
    verbs: [...r.verbs].sort(),
    ...(info.shortNames.length ? { shortNames: [...info.shortNames] } : {}),
    ...(info.categories.length ? { categories: [...info.categories] } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

function groupDiscovery(g: InstalledGroup): APIGroupDiscovery {
  return {
    // The core group has no name; kube-apiserver leaves the field out.
    metadata: { ...(g.group ? { name: g.group } : {}), creationTimestamp: null },
    versions: g.versions.map((version) => ({
      version,
      resources: [...(g.resources.get(version) ?? [])].sort((a, b) => a.info.plural.localeCompare(b.info.plural)).map(resourceDiscovery),
      freshness: 'Current',
    })),
  };
}

/**
 * The aggregated document of the given groups, versions in preference order (a
 * client takes the first as preferred). /api lists only the core group, /apis
 * every other group.
 */
export function aggregatedDiscovery(groups: InstalledGroup[], version: DiscoveryVersion): APIGroupDiscoveryList {
  return { kind: DISCOVERY_LIST_KIND, apiVersion: `${DISCOVERY_GROUP}/${version}`, metadata: {}, items: groups.map(groupDiscovery) };
}
