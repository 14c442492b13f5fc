/**
 * The table-driven installer: from a group's Stores to routes. Each resource
 * version gets its collection and item routes, and the /status and /scale
 * subresources its group lists; the same table feeds discovery and OpenAPI.
 */
import type Router from '@koa/router';
import { StatusError } from '../api/status';
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

/**
 * A Store that serves only some verbs (the review kinds serve create alone).
 * The installer mounts routes for these verbs only and discovery lists only
 * them; a Store without this capability serves every verb.
 */
export interface VerbRestricted {
  readonly servedVerbs: readonly Verb[];
}

export function isVerbRestricted(store: object): store is VerbRestricted {
  return Array.isArray((store as Partial<VerbRestricted>).servedVerbs);
}

/** A method a served path does not take, in kube-apiserver's words. */
function newMethodNotAllowed(): StatusError {
  return new StatusError({ code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} });
}

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
    const handler = handlers[resourceRequestInfo(ctx).verb];
    if (!handler) throw newMethodNotAllowed();
    await handler(ctx, scope);
  };
}

/** The handlers of the verbs served. */
function servedHandlers(handlers: Partial<Record<Verb, Handler>>, verbs: readonly Verb[]): Partial<Record<Verb, Handler>> {
  return Object.fromEntries(Object.entries(handlers).filter(([verb]) => verbs.includes(verb as Verb)));
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
  const verbs = isVerbRestricted(store) ? RESOURCE_VERBS.filter((v) => store.servedVerbs.includes(v)) : RESOURCE_VERBS;
  const collectionHandlers = servedHandlers(COLLECTION_HANDLERS, verbs);
  const itemHandlers = servedHandlers(ITEM_HANDLERS, verbs);

  router.register(base, methods, dispatch(collectionHandlers, main));
  if (info.namespaced && (collectionHandlers.list || collectionHandlers.watch)) {
    // Lists and watches across all namespaces.
    router.register(`${prefix}/${plural}`, methods, async (ctx: ApiContext) => {
      const verb = resourceRequestInfo(ctx).verb;
      if (verb !== 'list' && verb !== 'watch') throw newMethodNotAllowed();
      await dispatch(collectionHandlers, main)(ctx);
    });
  }
  // As in kube-apiserver, a resource with no verb on one object has no such path (404, not 405).
  if (Object.keys(itemHandlers).length > 0) router.register(`${base}/:name`, methods, dispatch(itemHandlers, main));
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
  return { info, apiVersion, prefix, store, verbs, subresources };
}
