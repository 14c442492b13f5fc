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
