import type { StoredObject } from '../interface';

/**
 * Objects are stored as JSON text, readable with etcdctl. The resourceVersion is
 * not stored: it is etcd's mod_revision of the key, set again on every read.
 */
export function encodeObject(obj: StoredObject): Buffer {
  return Buffer.from(JSON.stringify(withResourceVersion(obj, undefined)));
}

/** Parses a stored value and stamps it with the revision it was read at. */
export function decodeObject(key: string, value: Buffer, revision: string): StoredObject {
  let obj: StoredObject;
  try {
    obj = JSON.parse(value.toString('utf8')) as StoredObject;
  } catch (err) {
    throw new Error(`the value stored at ${key} is not JSON: ${(err as Error).message}`);
  }
  if (typeof obj !== 'object' || obj === null || typeof obj.metadata !== 'object' || obj.metadata === null) {
    throw new Error(`the value stored at ${key} is not an object with metadata`);
  }
  obj.metadata.resourceVersion = revision;
  return obj;
}

/** A shallow copy of `obj` whose metadata carries the given resourceVersion. */
export function withResourceVersion(obj: StoredObject, resourceVersion: string | undefined): StoredObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion } };
}
