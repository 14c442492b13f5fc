import type { StoredObject } from '../interface';

/** A resourceVersion as a number, or undefined when it is not a decimal revision. */
export function parseRevision(resourceVersion: string): number | undefined {
  return /^\d+$/.test(resourceVersion) ? Number(resourceVersion) : undefined;
}

/** The revision a backend stamped on an object. */
export function revisionOf(obj: StoredObject): number {
  const revision = parseRevision(obj.metadata.resourceVersion ?? '');
  if (revision === undefined) {
    throw new Error(`object ${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''} has no resourceVersion`);
  }
  return revision;
}
