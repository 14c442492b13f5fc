/**
 * Errors of the storage layer. They name keys, not resources: the registry turns
 * them into API StatusErrors that name the group, resource and object.
 */

export type StorageErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  /** A precondition (uid or resourceVersion) did not match. */
  | 'Conflict'
  /** A resourceVersion or continue token older than the compacted revision. */
  | 'Expired'
  /** A resourceVersion newer than the backend has (after waiting briefly). */
  | 'TooLargeResourceVersion'
  /** A malformed resourceVersion or continue token. */
  | 'InvalidArgument'
  /** The backend did not answer. */
  | 'Unavailable';

export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    /** The current revision when known (for Expired and TooLargeResourceVersion). */
    readonly currentRevision?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export function isStorageError(err: unknown, code?: StorageErrorCode): err is StorageError {
  return err instanceof StorageError && (code === undefined || err.code === code);
}
