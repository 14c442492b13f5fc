/**
 * Requests that may legitimately stay open (excluded from in-flight limits and
 * timeouts): watches, and the connect-style subresources a proxied server may
 * serve over an upgraded connection (exec, attach, port-forward, log, proxy), as
 * kube-apiserver counts them.
 */
import type { RequestInfo } from '../request-info';

const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'log', 'portforward', 'proxy']);

export function isLongRunning(info: RequestInfo | undefined): boolean {
  if (info?.isResourceRequest !== true) return false;
  return info.verb === 'watch' || LONG_RUNNING_SUBRESOURCES.has(info.subresource.split('/')[0]);
}

export function isMutating(info: RequestInfo | undefined): boolean {
  const verb = info?.verb;
  return verb === 'create' || verb === 'update' || verb === 'patch' || verb === 'delete' || verb === 'deletecollection' || verb === 'post' || verb === 'put';
}
