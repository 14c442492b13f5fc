/**
 * How objects sit in the log: JSON without metadata.resourceVersion, which is the
 * row id and is set again on every object read back.
 */
import type { StoredObject } from '../interface';

export function encodeObject(obj: StoredObject): string {
  const { resourceVersion: _ignored, ...metadata } = obj.metadata;
  return JSON.stringify({ ...obj, metadata });
}

export function decodeObject(value: string, revision: number): StoredObject {
  const obj = JSON.parse(value) as StoredObject;
  obj.metadata.resourceVersion = String(revision);
  return obj;
}
