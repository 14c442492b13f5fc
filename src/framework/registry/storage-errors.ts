/** Turns storage-layer errors into the API Status a client of kube-apiserver would get. */
import {
  GroupResource,
  newAlreadyExists,
  newBadRequest,
  newConflict,
  newNotFound,
  newResourceExpired,
  newServiceUnavailable,
  StatusError,
} from '../api/status';
import { isStorageError } from '../storage/errors';

export function interpretStorageError(err: unknown, gr: GroupResource, name: string): unknown {
  if (!isStorageError(err)) return err;
  switch (err.code) {
    case 'NotFound':
      return newNotFound(gr, name);
    case 'AlreadyExists':
      return newAlreadyExists(gr, name);
    case 'Conflict':
      return newConflict(gr, name, err.message);
    case 'Expired':
      return newResourceExpired(err.message);
    case 'TooLargeResourceVersion':
      return new StatusError({
        code: 504,
        reason: 'Timeout',
        message: `Timeout: ${err.message}`,
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      });
    case 'InvalidArgument':
      return newBadRequest(err.message);
    case 'Unavailable':
      return newServiceUnavailable(err.message);
  }
}

/** Runs a storage call and rethrows its failure as an API error. */
export async function withStatusErrors<T>(gr: GroupResource, name: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw interpretStorageError(err, gr, name);
  }
}
