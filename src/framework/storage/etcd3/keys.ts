/**
 * etcd keys: the backend's prefix joined with the storage keys the registry
 * passes (`/group/resource/namespace/name`), and the byte ranges that select
 * everything below a prefix. etcd orders keys by bytes, so ranges are computed
 * on bytes rather than on JavaScript strings.
 */

/** The etcd key of a storage key under a normalized prefix; the storage key gains a leading "/" when it lacks one. */
export function etcdKey(prefix: string, key: string): Buffer {
  return Buffer.from(key.startsWith('/') ? `${prefix}${key}` : `${prefix}/${key}`);
}

/**
 * The etcd key of a storage prefix, always ending in "/" so that listing
 * "/pods" never matches "/podsecuritypolicies".
 */
export function etcdPrefixKey(prefix: string, key: string): Buffer {
  const full = etcdKey(prefix, key);
  return full[full.length - 1] === 0x2f ? full : Buffer.concat([full, Buffer.from('/')]);
}

/** The smallest key greater than every key starting with `prefix` (etcd's range_end for a prefix). */
export function etcdRangeEnd(prefix: Buffer): Buffer {
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
