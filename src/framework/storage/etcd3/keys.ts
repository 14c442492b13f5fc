/**
 * etcd keys: the backend's prefix joined with the storage keys the registry
 * passes (`/group/resource/namespace/name`), and the byte ranges that select
 * everything below a prefix.
 */

/** "/registry/" and "registry" both become "/registry"; "" and "/" become "". */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The etcd key of a storage key; the storage key gains a leading "/" when it lacks one. */
export function etcdKey(prefix: string, key: string): string {
  return key.startsWith('/') ? `${prefix}${key}` : `${prefix}/${key}`;
}

/**
 * The etcd key of a storage prefix, always ending in "/" so that listing
 * "/pods" never matches "/podsecuritypolicies".
 */
export function etcdPrefixKey(prefix: string, key: string): string {
  const full = etcdKey(prefix, key);
  return full.endsWith('/') ? full : `${full}/`;
}

/** The smallest key greater than every key starting with `prefix` (etcd's range_end for a prefix). */
export function prefixRangeEnd(prefix: Buffer): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i] += 1;
      return end.subarray(0, i + 1);
    }
  }
  // Every byte is 0xff: "\0" as range_end means "to the end of the keyspace".
  return Buffer.from([0]);
}

/** The key right after `key` in etcd's byte order. */
export function keySuccessor(key: Buffer): Buffer {
  return Buffer.concat([key, Buffer.from([0])]);
}
