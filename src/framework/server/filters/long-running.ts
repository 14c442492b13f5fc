/** Requests that may legitimately stay open: watches (excluded from in-flight limits and timeouts). */
import type { RequestInfo } from '../request-info';

export function isLongRunning(info: RequestInfo | undefined): boolean {
  return info?.isResourceRequest === true && info.verb === 'watch';
}

export function isMutating(info: RequestInfo | undefined): boolean {
  const verb = info?.verb;
  return verb === 'create' || verb === 'update' || verb === 'patch' || verb === 'delete' || verb === 'deletecollection' || verb === 'post' || verb === 'put';
}
