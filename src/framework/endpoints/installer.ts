/**
 * The table-driven installer: from a group's Stores to routes. Each resource
 * version gets its collection and item routes (and /status when the resource has
 * that subresource); the same table feeds discovery and OpenAPI.
 */
import type Router from '@koa/router';
import { newMethodNotSupported } from '../api/status';
import type { ResourceInfo, Scheme } from '../runtime';
import type { Store } from '../registry/store';
import type { Verb } from '../server/request-info';
import { createResource } from './handlers/create';
import { deleteCollection, deleteResource } from './handlers/delete';
import { getResource } from './handlers/get';
import { listResource } from './handlers/list';
import { patchResource } from './handlers/patch';
import { updateResource } from './handlers/update';
import { watchResource } from './handlers/watch';
import { resourceRequestInfo, type ApiContext, type ApiState, type RequestScope } from './scope';
import { TableConvertor } from './table';

export const RESOURCE_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const STATUS_VERBS: Verb[] = ['get', 'patch', 'update'];

/** One served resource version, as discovery and OpenAPI see it. */
export interface InstalledResource {
  info: ResourceInfo;
  apiVersion: string;
  /** URL prefix of the group version: `/api/v1` or `/apis/<group>/<version>`. */
  prefix: string;
  store: Store;
  verbs: Verb[];
  /** Installed subresources and their verbs, e.g. `{status: ['get','patch','update']}`. */
  subresources: Record<string, Verb[]>;
}

export interface InstallContext {
  scheme: Scheme;
  maxRequestBodyBytes: number;
  shutdown: AbortSignal;
}

type Handler = (ctx: ApiContext, scope: RequestScope) => Promise<void>;

const ITEM_HANDLERS: Partial<Record<Verb, Handler>> = {
  get: getResource,
  watch: watchResource,
  update: updateResource,
  patch: patchResource,
  delete: deleteResource,
};
const COLLECTION_HANDLERS: Partial<Record<Verb, Handler>> = {
  list: listResource,
  watch: watchResource,
  create: createResource,
  deletecollection: deleteCollection,
};
const STATUS_HANDLERS: Partial<Record<Verb, Handler>> = {
  get: getResource,
  update: updateResource,
  patch: patchResource,
};

function dispatch(handlers: Partial<Record<Verb, Handler>>, scope: RequestScope) {
  return async (ctx: ApiContext) => {
    const verb = resourceRequestInfo(ctx).verb;
    const handler = handlers[verb];
    if (!handler) throw newMethodNotSupported(scope.store.groupResource, verb);
    await handler(ctx, scope);
  };
}

export function groupVersionPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

/** Mounts one resource version (and its status subresource) on the router. */
export function installResource(
  router: Router<ApiState>,
  install: InstallContext,
  group: string,
  version: string,
  resourcePath: string,
  store: Store,
  hasStatusRoute: boolean,
): InstalledResource {
  const plural = resourcePath.split('/')[0];
  const info = install.scheme.resourceInfo({ group, version, resource: plural });
  if (!info) throw new Error(`no resource ${plural} in ${group || 'core'}/${version} is registered in the scheme`);
  const apiVersion = group ? `${group}/${version}` : version;
  const prefix = groupVersionPrefix(group, version);
  const table = new TableConvertor(info.printerColumns);
  const scope = (subresource: '' | 'status'): RequestScope => ({
    scheme: install.scheme,
    resource: info,
    apiVersion,
    store,
    table,
    subresource,
    maxRequestBodyBytes: install.maxRequestBodyBytes,
    shutdown: install.shutdown,
  });
  const main = scope('');
  const base = info.namespaced ? `${prefix}/namespaces/:namespace/${plural}` : `${prefix}/${plural}`;
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

  router.register(base, methods, dispatch(COLLECTION_HANDLERS, main));
  if (info.namespaced) {
    // Lists and watches across all namespaces.
    router.register(`${prefix}/${plural}`, methods, async (ctx: ApiContext) => {
      const verb = resourceRequestInfo(ctx).verb;
      if (verb !== 'list' && verb !== 'watch') throw newMethodNotSupported(store.groupResource, verb);
      await dispatch(COLLECTION_HANDLERS, main)(ctx);
    });
  }
  router.register(`${base}/:name`, methods, dispatch(ITEM_HANDLERS, main));
  const subresources: Record<string, Verb[]> = {};
  if (hasStatusRoute) {
    router.register(`${base}/:name/status`, methods, dispatch(STATUS_HANDLERS, scope('status')));
    subresources.status = STATUS_VERBS;
  }
  return { info, apiVersion, prefix, store, verbs: RESOURCE_VERBS, subresources };
}
