/**
 * What a request is about, parsed once from its URL and method (k8s.io/apiserver's
 * RequestInfoFactory). Filters and handlers read it from `ctx.state.requestInfo`.
 */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface ResourceRequestInfo {
  isResourceRequest: true;
  path: string;
  /** 'api' or 'apis'. */
  apiPrefix: 'api' | 'apis';
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
  verb: Verb;
}

export interface NonResourceRequestInfo {
  isResourceRequest: false;
  path: string;
  /** The lower-cased HTTP method, as authorizers expect for non-resource paths. */
  verb: string;
}

export type RequestInfo = ResourceRequestInfo | NonResourceRequestInfo;

const METHOD_VERBS: Record<string, Verb> = {
  POST: 'create',
  GET: 'get',
  HEAD: 'get',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function isTrue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

/**
 * The name a field selector of the one term `metadata.name=x` (or `==x`) pins
 * down: a list or watch of one object is authorized as a request for that
 * object, as in kube-apiserver, so a Role limited by resourceNames allows it.
 * (With more terms the name is left out, so handlers keep every term.)
 */
function nameFromFieldSelector(selector: string | null): string {
  const match = /^\s*metadata\.name\s*==?\s*([^,]*?)\s*$/.exec(selector ?? '');
  return match ? match[1] : '';
}

/**
 * Parses `/api/v1/...` and `/apis/<group>/<version>/...` paths. Anything else, and
 * bare discovery paths such as `/apis/<group>`, are non-resource requests.
 */
export function parseRequestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const parts = path.split('/').filter((p) => p !== '');
  const nonResource: NonResourceRequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase() };
  if (parts.length === 0) return nonResource;

  let rest: string[];
  let apiPrefix: 'api' | 'apis';
  let apiGroup = '';
  let apiVersion: string;
  if (parts[0] === 'api' && parts.length >= 3) {
    apiPrefix = 'api';
    apiVersion = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    apiPrefix = 'apis';
    apiGroup = parts[1];
    apiVersion = parts[2];
    rest = parts.slice(3);
  } else {
    return nonResource;
  }

  let verb = METHOD_VERBS[method.toUpperCase()];
  if (!verb) return nonResource;

  // The deprecated /watch/ path prefix.
  if (rest[0] === 'watch') {
    if (verb === 'get') verb = 'watch';
    rest = rest.slice(1);
  }

  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    // As in kube-apiserver, /namespaces/<ns>[/status|/finalize] is the namespace object
    // itself, with its own name as namespace; anything else below it is a namespaced resource.
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }
  if (rest.length === 0) return nonResource;

  const [resource, pathName = '', subresource = ''] = rest;
  let name = pathName;
  if (rest.length > 3) {
    // Deeper paths exist only for connect-style subresources, which we do not serve.
    return { isResourceRequest: true, path, apiPrefix, apiGroup, apiVersion, namespace, resource, name, subresource: rest.slice(2).join('/'), verb };
  }

  if (name === '') {
    if (verb === 'get') verb = isTrue(query.get('watch')) ? 'watch' : 'list';
    else if (verb === 'delete') verb = 'deletecollection';
    if (verb === 'list' || verb === 'watch') name = nameFromFieldSelector(query.get('fieldSelector'));
  } else if (verb === 'get' && isTrue(query.get('watch'))) {
    verb = 'watch';
  }

  return { isResourceRequest: true, path, apiPrefix, apiGroup, apiVersion, namespace, resource, name, subresource, verb };
}
