/**
 * The table-driven installer: from a group's Stores to routes. Each resource
 * version gets its collection and item routes, and the /status and /scale
 * subresources its group lists; the same table feeds discovery and OpenAPI.
 */
import type Router from '@koa/router';
import { newMethodNotSupported } from '../api/status';
import { Scale, SCALE_GVK } from '../api/autoscaling';
import type { GroupVersionKind, ResourceInfo, Scheme } from '../runtime';
import type { Store } from '../registry/store';
import type { Verb } from '../server/request-info';
import { createResource } from './handlers/create';
import { deleteCollection, deleteResource } from './handlers/delete';
import { getResource } from './handlers/get';
import { listResource } from './handlers/list';
import { patchResource } from './handlers/patch';
import { getScale, patchScale, updateScale } from './handlers/scale';
import { updateResource } from './handlers/update';
import { watchResource } from './handlers/watch';
import { resourceRequestInfo, type ApiContext, type ApiState, type RequestScope } from './scope';
import { TableConvertor } from './table';

export const RESOURCE_VERBS: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
export const SUBRESOURCE_VERBS: Verb[] = ['get', 'patch', 'update'];

/** A subresource as discovery lists it: its verbs and the kind it reads and writes. */
export interface InstalledSubresource {
  verbs: Verb[];
  kind: GroupVersionKind;
}

/** One served resource version, as discovery and OpenAPI see it. */
export interface InstalledResource {
  info: ResourceInfo;
  apiVersion: string;
  /** URL prefix of the group version: `/api/v1` or `/apis/<group>/<version>`. */
  prefix: string;
  store: Store;
  verbs: Verb[];
  /** Installed subresources by name (`status`, `scale`). */
  subresources: Record<string, InstalledSubresource>;
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
const SCALE_HANDLERS: Partial<Record<Verb, Handler>> = {
  get: getScale,
  update: updateScale,
  patch: patchScale,
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

/** One resource of a group version, as its APIGroupInfo lists it. */
export interface ResourceToInstall {
  group: string;
  version: string;
  plural: string;
  store: Store;
  /** The subresources listed for it: `status`, `scale`. */
  subresources: readonly string[];
}

const SUBRESOURCE_NAMES = new Set(['status', 'scale']);

/** Mounts one resource version and its subresources on the router. */
export function installResource(router: Router<ApiState>, install: InstallContext, resource: ResourceToInstall): InstalledResource {
  const { group, version, plural, store } = resource;
  const info = install.scheme.resourceInfo({ group, version, resource: plural });
  if (!info) throw new Error(`no resource ${plural} in ${group || 'core'}/${version} is registered in the scheme`);
  for (const sub of resource.subresources) {
    if (!SUBRESOURCE_NAMES.has(sub)) throw new Error(`${plural}/${sub}: only the status and scale subresources can be served`);
  }
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
  const subresources: Record<string, InstalledSubresource> = {};
  if (resource.subresources.includes('status')) {
    router.register(`${base}/:name/status`, methods, dispatch(STATUS_HANDLERS, scope('status')));
    subresources.status = { verbs: SUBRESOURCE_VERBS, kind: info.gvk };
  }
  if (resource.subresources.includes('scale')) {
    if (!info.subresources.scale) throw new Error(`${plural}/scale: ${info.type.name} declares no scale subresource (its replicas paths)`);
    install.scheme.addKnownTypes(Scale);
    // Scale writes change the spec: they go through the main resource's scope.
    router.register(`${base}/:name/scale`, methods, dispatch(SCALE_HANDLERS, main));
    subresources.scale = { verbs: SUBRESOURCE_VERBS, kind: SCALE_GVK };
  }
  return { info, apiVersion, prefix, store, verbs: RESOURCE_VERBS, subresources };
}
