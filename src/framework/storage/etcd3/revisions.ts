import { StorageError } from '../errors';

/**
 * A resourceVersion as a number: etcd revisions are int64, and every revision a
 * cluster reaches in practice is far below 2^53.
 */
export function parseResourceVersion(resourceVersion: string, key: string): number {
  const revision = /^[0-9]+$/.test(resourceVersion) ? Number(resourceVersion) : NaN;
  if (!Number.isSafeInteger(revision)) {
    throw new StorageError('InvalidArgument', key, `invalid resource version: ${JSON.stringify(resourceVersion)}`);
  }
  return revision;
}
