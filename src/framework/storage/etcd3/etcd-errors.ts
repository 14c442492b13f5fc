import { isBrokenCircuitError } from 'cockatiel';
import { GRPCCancelledError, GRPCDeadlineExceededError, GRPCUnavailableError } from 'etcd3';
import { StorageError } from '../errors';

/** etcd refused a read or watch at a revision that compaction removed. */
export function isCompactedError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision has been compacted');
}

/** etcd refused a read at a revision it has not reached. */
export function isFutureRevisionError(err: unknown): boolean {
  return err instanceof Error && err.message.includes('required revision is a future revision');
}

/** etcd could not be reached, did not answer in time, or the client gave up on it for a while. */
export function isUnavailableError(err: unknown): boolean {
  return (
    err instanceof GRPCUnavailableError ||
    err instanceof GRPCDeadlineExceededError ||
    err instanceof GRPCCancelledError ||
    isBrokenCircuitError(err)
  );
}

/** Unreachable etcd becomes StorageError 'Unavailable'; every other error passes through. */
export function translateError(err: unknown, key: string): unknown {
  if (isUnavailableError(err)) {
    return new StorageError('Unavailable', key, `etcd is unavailable: ${(err as Error).message}`);
  }
  return err;
}
