/** How the controller takes the host's answers to its writes. */
import { isNotFound } from '../../index';

/** For `.catch`: an object deleted meanwhile needs nothing more; anything else is rethrown. */
export function ignoreNotFound(err: unknown): undefined {
  if (isNotFound(err)) return undefined;
  throw err;
}
