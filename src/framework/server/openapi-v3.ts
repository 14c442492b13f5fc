/**
 * OpenAPI v3 documents per group-version, generated from the type decorators:
 * schemas with x-kubernetes-group-version-kind, and operations carrying the
 * fieldValidation parameter so kubectl validates on the server.
 */
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type { InstalledResource } from '../endpoints/installer';
import type { Scheme } from '../runtime';
import { SUPPORTED_PATCH_TYPES } from '../endpoints/handlers/patch';

type Json = Record<string, unknown>;

/** `nginx.example.com` → `com.example.nginx`; the core group → `io.k8s.api.core`. */
function schemaPrefix(group: string): string {
  return group ? group.split('.').reverse().join('.') : 'io.k8s.api.core';
}

export function schemaName(group: string, version: string, kind: string): string {
  return `${schemaPrefix(group)}.${version}.${kind}`;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const queryParam = (name: string, type = 'string') => ({ name, in: 'query', schema: { type } });
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const WRITE_PARAMS = [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')];
const LIST_PARAMS = ['labelSelector', 'fieldSelector', 'continue', 'resourceVersion', 'resourceVersionMatch']
  .map((n) => queryParam(n))
  .concat([queryParam('limit', 'integer'), queryParam('timeoutSeconds', 'integer'), queryParam('watch', 'boolean'), queryParam('allowWatchBookmarks', 'boolean')]);

function jsonContent(schema: unknown) {
  return { content: { 'application/json': { schema }, 'application/yaml': { schema } } };
}

function operation(action: string, r: InstalledResource, id: string, response: string, extra: Json = {}): Json {
  const { group, version, kind } = r.info.gvk;
  return {
    operationId: `${id}${kind}`,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group, version, kind },
    responses: { 200: { description: 'OK', ...jsonContent(ref(response)) } },
    ...extra,
  };
}

function paths(r: InstalledResource): Json {
  const { group, version, kind } = r.info.gvk;
  const object = schemaName(group, version, kind);
  const list = schemaName(group, version, `${kind}List`);
  const base = r.info.namespaced ? `${r.prefix}/namespaces/{namespace}/${r.info.plural}` : `${r.prefix}/${r.info.plural}`;
  const scopeParams = r.info.namespaced ? [pathParam('namespace')] : [];
  const body = { requestBody: { required: true, ...jsonContent(ref(object)) } };
  const patchBody = {
    requestBody: { required: true, content: Object.fromEntries(SUPPORTED_PATCH_TYPES.map((t) => [t, { schema: { type: 'object' } }])) },
    parameters: [...WRITE_PARAMS, queryParam('force', 'boolean')],
  };
  const item: Json = {
    parameters: [pathParam('name'), ...scopeParams],
    get: operation('get', r, 'read', object),
    put: operation('put', r, 'replace', object, { ...body, parameters: WRITE_PARAMS }),
    patch: operation('patch', r, 'patch', object, patchBody),
    delete: operation('delete', r, 'delete', object, { parameters: [queryParam('dryRun'), queryParam('gracePeriodSeconds', 'integer'), queryParam('propagationPolicy')] }),
  };
  const out: Json = {
    [base]: {
      parameters: scopeParams,
      get: operation('list', r, 'list', list, { parameters: LIST_PARAMS }),
      post: operation('post', r, 'create', object, { ...body, parameters: WRITE_PARAMS }),
      delete: operation('deletecollection', r, 'deleteCollection', list, { parameters: LIST_PARAMS }),
    },
    [`${base}/{name}`]: item,
  };
  if (r.subresources.status) {
    out[`${base}/{name}/status`] = {
      parameters: item.parameters,
      get: operation('get', r, 'readStatus', object),
      put: operation('put', r, 'replaceStatus', object, { ...body, parameters: WRITE_PARAMS }),
      patch: operation('patch', r, 'patchStatus', object, patchBody),
    };
  }
  return out;
}

function schemas(r: InstalledResource, scheme: Scheme): Json {
  const { group, version, kind } = r.info.gvk;
  const gvk = (k: string) => [{ group, version, kind: k }];
  const object = schemaName(group, version, kind);
  return {
    [object]: { ...scheme.schemaFor(r.info.type), 'x-kubernetes-group-version-kind': gvk(kind) },
    [schemaName(group, version, `${kind}List`)]: {
      type: 'object',
      description: `${kind}List is a list of ${kind}`,
      required: ['items'],
      properties: {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        items: { type: 'array', items: ref(object) },
      },
      'x-kubernetes-group-version-kind': gvk(`${kind}List`),
    },
  };
}

export function openAPIV3Document(groupVersion: string, resources: InstalledResource[], scheme: Scheme): Json {
  const doc = {
    openapi: '3.0.0',
    info: { title: 'apiserver-kit', version: groupVersion },
    paths: {} as Json,
    components: { schemas: {} as Json },
  };
  for (const r of resources) {
    Object.assign(doc.paths, paths(r));
    Object.assign(doc.components.schemas, schemas(r, scheme));
  }
  return doc;
}

interface CachedDocument {
  bytes: string;
  hash: string;
}

/**
 * Serves /openapi/v3 (the index) and /openapi/v3/<gv path>. Documents are built
 * lazily and cached until the installed set changes.
 */
export class OpenAPIV3Service {
  private cache = new Map<string, CachedDocument>();

  constructor(
    private readonly groupVersions: () => Map<string, { resources: InstalledResource[]; scheme: Scheme }>,
  ) {}

  invalidate(): void {
    this.cache.clear();
  }

  private document(key: string): CachedDocument | undefined {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const gv = this.groupVersions().get(key);
    if (!gv) return undefined;
    const bytes = JSON.stringify(openAPIV3Document(key.replace(/^apis?\//, ''), gv.resources, gv.scheme));
    const doc = { bytes, hash: createHash('sha512').update(bytes).digest('hex').toUpperCase() };
    this.cache.set(key, doc);
    return doc;
  }

  install(router: Router): void {
    router.get('/openapi/v3', (ctx) => {
      const paths: Json = {};
      for (const key of this.groupVersions().keys()) {
        const doc = this.document(key);
        if (doc) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${doc.hash}` };
      }
      ctx.type = 'application/json';
      ctx.body = JSON.stringify({ paths });
    });
    router.get(/^\/openapi\/v3\/(apis?\/.+)$/, (ctx) => {
      const key = ctx.path.slice('/openapi/v3/'.length);
      const doc = this.document(key);
      if (!doc) {
        ctx.status = 404;
        ctx.body = '404 page not found\n';
        return;
      }
      const hash = new URLSearchParams(ctx.querystring).get('hash');
      if (hash && hash !== doc.hash) {
        ctx.status = 301;
        ctx.redirect(`/openapi/v3/${key}?hash=${doc.hash}`);
        return;
      }
      ctx.set('ETag', `"${doc.hash}"`);
      ctx.set('Vary', 'Accept');
      if (hash) ctx.set('Cache-Control', 'public, immutable');
      if (ctx.get('if-none-match') === `"${doc.hash}"`) {
        ctx.status = 304;
        return;
      }
      ctx.type = 'application/json';
      ctx.body = doc.bytes;
    });
  }
}
