/**
 * How objects are named in nginx: the upstream block of Upstream ns/name is
 * `ns_name`, and each object has one file, `ups_ns_name.conf` or
 * `vs_ns_name.conf`. Namespaces and names never contain `_`, so names never
 * collide; the controller owns exactly the files that match these patterns.
 */

/** `namespace/name`, the key of an object in the controller's maps. */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export function upstreamBlockName(namespace: string, name: string): string {
  return `${namespace}_${name}`;
}

export function upstreamFileName(namespace: string, name: string): string {
  return `ups_${namespace}_${name}.conf`;
}

export function virtualServerFileName(namespace: string, name: string): string {
  return `vs_${namespace}_${name}.conf`;
}

const MANAGED_FILE = /^(ups|vs)_[a-z0-9-]+_[a-z0-9.-]+\.conf$/;

/** Whether a file in the configuration directory is one the controller writes (and may delete). */
export function isManagedFile(fileName: string): boolean {
  return MANAGED_FILE.test(fileName);
}
