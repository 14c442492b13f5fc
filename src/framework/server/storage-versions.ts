/**
 * --storage-version: the version a resource's objects are written in, per
 * resource, as `<resource>.<group>=<group>/<version>` (core resources:
 * `<resource>=<version>`). The target may be a version of any group the kind is
 * served in. Objects already stored keep their version until rewritten
 * (`apiserver-kit migrate-storage`); every version stays readable meanwhile.
 */
import { formatGroupResource, type GroupResource } from '../api/status';
import type { Scheme } from '../runtime';

export interface StorageVersionOverride {
  resource: GroupResource;
  /** `group/version`, or `version` for the core group. */
  apiVersion: string;
}

/** Parses the flag's entries; throws on a malformed one, naming it. */
export function parseStorageVersions(entries: readonly string[]): StorageVersionOverride[] {
  return entries.map((entry) => {
    const match = /^([a-z0-9-]+)(?:\.([a-z0-9.-]+))?=(?:([a-z0-9.-]+)\/)?([a-z0-9]+)$/.exec(entry.trim());
    if (!match) throw new Error(`invalid --storage-version entry ${JSON.stringify(entry)}: expected <resource>.<group>=<group>/<version>`);
    const [, resource, group = '', targetGroup, version] = match;
    return { resource: { group, resource }, apiVersion: targetGroup ? `${targetGroup}/${version}` : version };
  });
}

export function applyStorageVersions(scheme: Scheme, overrides: readonly StorageVersionOverride[]): void {
  for (const { resource, apiVersion } of overrides) scheme.setResourceStorageVersion(resource, apiVersion);
}

/** The overrides' resources that no installed group serves (a typo would otherwise change nothing, silently). */
export function unservedStorageVersions(scheme: Scheme, overrides: readonly StorageVersionOverride[]): string[] {
  const served = new Set(scheme.resources().map((r) => formatGroupResource({ group: r.gvk.group, resource: r.plural })));
  return overrides.map((o) => formatGroupResource(o.resource)).filter((name) => !served.has(name));
}
