/**
 * OpenAPI v3 documents per group-version, generated from the type decorators:
 * schemas with x-kubernetes-group-version-kind and the patch extensions, and
 * operations carrying x-kubernetes-action, the fieldValidation parameter (so
 * kubectl validates on the server) and the patch types each resource takes
 * (client-side apply sends a strategic merge patch only where one is listed).
 * The OpenAPI v2 document is derived from these.
 */
import { Scale, SCALE_GVK } from '../api/autoscaling';
import { ListMeta } from '../api/meta';
import { patchTypesOf } from '../endpoints/handlers/patch';
import { scalePatchTypesOf } from '../endpoints/handlers/scale';
import type { InstalledResource } from '../endpoints/installer';
import type { GroupVersionKind, JSONSchemaProps, Scheme } from '../runtime';
import type { Verb } from './request-info';

export type Json = Record<string, unknown>;

/** `nginx.example.com` → `com.example.nginx`; the core group → `io.k8s.api.core`. */
function schemaPrefix(group: string): string {
  return group ? group.split('.').reverse().join('.') : 'io.k8s.api.core';
}

export function schemaName(group: string, version: string, kind: string): string {
  return `${schemaPrefix(group)}.${version}.${kind}`;
}

/** The name kube-apiserver gives the Scale schema. */
const SCALE_SCHEMA = 'io.k8s.api.autoscaling.v1.Scale';

export const REF_PREFIX = '#/components/schemas/';
const ref = (name: string) => ({ $ref: `${REF_PREFIX}${name}` });
const queryParam = (name: string, type = 'string') => ({ name, in: 'query', schema: { type } });
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const WRITE_PARAMS = [queryParam('dryRun'), queryParam('fieldManager'), queryParam('fieldValidation')];
const PATCH_PARAMS = [...WRITE_PARAMS, queryParam('force', 'boolean')];
const LIST_PARAMS = ['labelSelector', 'fieldSelector', 'continue', 'resourceVersion', 'resourceVersionMatch']
  .map((n) => queryParam(n))
  .concat([queryParam('limit', 'integer'), queryParam('timeoutSeconds', 'integer'), queryParam('watch', 'boolean'), queryParam('allowWatchBookmarks', 'boolean')]);
const DELETE_PARAMS = [queryParam('dryRun'), queryParam('gracePeriodSeconds', 'integer'), queryParam('propagationPolicy')];

function jsonContent(schema: unknown) {
  return { content: { 'application/json': { schema }, 'application/yaml': { schema } } };
}

const patchBody = (patchTypes: string[]) => ({
  requestBody: { required: true, content: Object.fromEntries(patchTypes.map((t) => [t, { schema: { type: 'object' } }])) },
  parameters: PATCH_PARAMS,
});

function operation(action: string, operationId: string, gvk: GroupVersionKind, response: string, extra: Json = {}): Json {
  return {
    operationId,
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: gvk.group, version: gvk.version, kind: gvk.kind },
    responses: { 200: { description: 'OK', ...jsonContent(ref(response)) } },
    ...extra,
  };
}

function paths(r: InstalledResource): Json {
  const { gvk } = r.info;
  const { kind } = gvk;
  const object = schemaName(gvk.group, gvk.version, kind);
  const list = schemaName(gvk.group, gvk.version, r.info.listKind);
  const base = r.info.namespaced ? `${r.prefix}/namespaces/{namespace}/${r.info.plural}` : `${r.prefix}/${r.info.plural}`;
  const scopeParams = r.info.namespaced ? [pathParam('namespace')] : [];
  const body = (schema: string) => ({ requestBody: { required: true, ...jsonContent(ref(schema)) }, parameters: WRITE_PARAMS });
  const itemParams = [pathParam('name'), ...scopeParams];
  const patchTypes = patchTypesOf(r.info);
  // Only the operations of the verbs served (a review kind has create alone, and no path for one object).
  const served = (verb: Verb, method: string, op: () => Json): Json => (r.verbs.includes(verb) ? { [method]: op() } : {});
  const out: Json = {
    [base]: {
      parameters: scopeParams,
      ...served('list', 'get', () => operation('list', `list${kind}`, gvk, list, { parameters: LIST_PARAMS })),
      ...served('create', 'post', () => operation('post', `create${kind}`, gvk, object, body(object))),
      ...served('deletecollection', 'delete', () => operation('deletecollection', `deleteCollection${kind}`, gvk, list, { parameters: LIST_PARAMS })),
    },
  };
  const item: Json = {
    ...served('get', 'get', () => operation('get', `read${kind}`, gvk, object)),
    ...served('update', 'put', () => operation('put', `replace${kind}`, gvk, object, body(object))),
    ...served('patch', 'patch', () => operation('patch', `patch${kind}`, gvk, object, patchBody(patchTypes))),
    ...served('delete', 'delete', () => operation('delete', `delete${kind}`, gvk, object, { parameters: DELETE_PARAMS })),
  };
  if (Object.keys(item).length > 0) out[`${base}/{name}`] = { parameters: itemParams, ...item };
  if (r.subresources.status) {
    out[`${base}/{name}/status`] = {
      parameters: itemParams,
      get: operation('get', `read${kind}Status`, gvk, object),
      put: operation('put', `replace${kind}Status`, gvk, object, body(object)),
      patch: operation('patch', `patch${kind}Status`, gvk, object, patchBody(patchTypes)),
    };
  }
  if (r.subresources.scale) {
    out[`${base}/{name}/scale`] = {
      parameters: itemParams,
      get: operation('get', `read${kind}Scale`, SCALE_GVK, SCALE_SCHEMA),
      put: operation('put', `replace${kind}Scale`, SCALE_GVK, SCALE_SCHEMA, body(SCALE_SCHEMA)),
      patch: operation('patch', `patch${kind}Scale`, SCALE_GVK, SCALE_SCHEMA, patchBody(scalePatchTypesOf(r.info))),
    };
  }
  return out;
}

function listSchema(kind: string, listKind: string, itemSchema: string, gvk: GroupVersionKind, scheme: Scheme): JSONSchemaProps & Json {
  return {
    type: 'object',
    description: `${listKind} is a list of ${kind}`,
    required: ['items'],
    properties: {
      apiVersion: { type: 'string', description: 'The versioned schema of this representation of an object.' },
      kind: { type: 'string', description: 'The REST resource this object represents, in CamelCase.' },
      metadata: { description: 'Standard list metadata.', ...scheme.schemaFor(ListMeta) },
      items: { type: 'array', description: `The ${kind} objects.`, items: ref(itemSchema) as JSONSchemaProps },
    },
    'x-kubernetes-group-version-kind': [{ group: gvk.group, version: gvk.version, kind: listKind }],
  };
}

function objectSchema(r: InstalledResource, scheme: Scheme): JSONSchemaProps | Json {
  const schema = scheme.schemaFor(r.info.type);
  const selectable = r.info.selectableFields;
  return selectable ? { ...schema, 'x-kubernetes-selectable-fields': selectable.map((fieldPath) => ({ fieldPath })) } : schema;
}

function schemas(r: InstalledResource, scheme: Scheme): Json {
  const { group, version, kind } = r.info.gvk;
  const object = schemaName(group, version, kind);
  const out: Json = {
    [object]: objectSchema(r, scheme),
    [schemaName(group, version, r.info.listKind)]: listSchema(kind, r.info.listKind, object, r.info.gvk, scheme),
  };
  if (r.subresources.scale) out[SCALE_SCHEMA] = scheme.schemaFor(Scale);
  return out;
}

/** The OpenAPI 3.0 document of one group version (`groupVersion` as `v1` or `<group>/<version>`). */
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
