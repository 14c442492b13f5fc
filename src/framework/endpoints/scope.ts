/**
 * What every handler of one served resource version needs, fixed at install time
 * (k8s.io/apiserver's RequestScope), and the per-request state filters leave in koa.
 */
import type { ParameterizedContext } from 'koa';
import type { ResourceInfo, Scheme } from '../runtime';
import type { RequestContext, UserInfo } from '../registry/context';
import { newRequestContext } from '../registry/context';
import type { Store } from '../registry/store';
import type { RequestInfo, ResourceRequestInfo } from '../server/request-info';
import type { StoredObject } from '../storage/interface';
import type { TableConvertor } from './table';

export interface ApiState {
  requestInfo: RequestInfo;
  user?: UserInfo;
}

export type ApiContext = ParameterizedContext<ApiState>;

export interface RequestScope {
  scheme: Scheme;
  /** The served version of the resource. */
  resource: ResourceInfo;
  /** `apiVersion` of the served version, e.g. `nginx.example.com/v1` or `v1`. */
  apiVersion: string;
  store: Store;
  table: TableConvertor;
  /** '' for the resource itself, 'status' for its status subresource. */
  subresource: '' | 'status';
  maxRequestBodyBytes: number;
  /** Aborted when the server shuts down: long-running requests (watches) end cleanly. */
  shutdown: AbortSignal;
}

export function resourceRequestInfo(ctx: ApiContext): ResourceRequestInfo {
  return ctx.state.requestInfo as ResourceRequestInfo;
}

export function queryOf(ctx: ApiContext): URLSearchParams {
  return new URLSearchParams(ctx.querystring);
}

export function requestContextOf(ctx: ApiContext, scope: RequestScope, dryRun = false): RequestContext {
  const info = resourceRequestInfo(ctx);
  return newRequestContext({ namespace: scope.resource.namespaced ? info.namespace : '', user: ctx.state.user, dryRun, version: scope.resource.gvk.version });
}

/** A stored object in the version this scope serves. */
export function toServedVersion(scope: RequestScope, stored: StoredObject): Record<string, unknown> {
  return scope.scheme.convertPlain(stored, scope.resource.gvk);
}
