/**
 * The OpenAPI v2 (Swagger 2.0) document of the whole server, derived from the
 * v3 documents of its group versions: request bodies become `body` parameters
 * and `consumes`, response contents become `produces`, parameter schemas become
 * parameter types, and schemas move to `definitions`. kubectl 1.27 and 1.28 read
 * it (as protobuf) for create, apply, replace and explain; client-side apply
 * reads the patch types it consumes.
 */
import type { Json } from './openapi-v3';
import { REF_PREFIX } from './openapi-v3';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** A v3 schema as v2 spells it: refs into definitions; v2 has no `nullable`. */
function schemaV2(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(schemaV2);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'nullable') continue;
    if (key === '$ref' && typeof value === 'string') out.$ref = value.replace(REF_PREFIX, '#/definitions/');
    else if (key === 'properties') out.properties = Object.fromEntries(Object.entries(value as Json).map(([name, s]) => [name, schemaV2(s)]));
    else if (key === 'items' || key === 'additionalProperties' || key === 'allOf') out[key] = schemaV2(value);
    else out[key] = value;
  }
  return out;
}

function parameterV2(param: Json): Json {
  const { schema, ...rest } = param as { schema?: Json } & Json;
  const out: Json = { ...rest, ...(schema?.type ? { type: schema.type } : {}) };
  // kube-apiserver marks every non-body parameter so.
  out.uniqueItems = true;
  return out;
}

function contentTypes(holder: unknown): string[] {
  return Object.keys(((holder as Json | undefined)?.content as Json | undefined) ?? {});
}

function firstSchema(holder: unknown): unknown {
  const content = ((holder as Json | undefined)?.content as Record<string, { schema?: unknown }> | undefined) ?? {};
  return Object.values(content)[0]?.schema;
}

function operationV2(op: Json): Json {
  const out: Json = {};
  const parameters: Json[] = [];
  const responses = (op.responses ?? {}) as Json;
  const produces = [...new Set(Object.values(responses).flatMap(contentTypes))];
  for (const [key, value] of Object.entries(op)) {
    if (key === 'requestBody') {
      out.consumes = contentTypes(value);
      parameters.unshift({ name: 'body', in: 'body', required: true, schema: schemaV2(firstSchema(value)) });
    } else if (key === 'parameters') {
      parameters.push(...(value as Json[]).map(parameterV2));
    } else if (key === 'responses') {
      out.responses = Object.fromEntries(
        Object.entries(value as Json).map(([code, response]) => {
          const schema = firstSchema(response);
          return [code, { description: (response as Json).description ?? '', ...(schema ? { schema: schemaV2(schema) } : {}) }];
        }),
      );
    } else {
      out[key] = value;
    }
  }
  if (produces.length > 0) out.produces = produces;
  out.schemes = ['https'];
  if (parameters.length > 0) out.parameters = parameters;
  return out;
}

function pathItemV2(item: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(item)) {
    if (key === 'parameters') out.parameters = (value as Json[]).map(parameterV2);
    else if (METHODS.has(key)) out[key] = operationV2(value as Json);
    else out[key] = value;
  }
  return out;
}

/** One Swagger 2.0 document from the v3 documents of every group version. */
export function openAPIV2Document(v3Documents: Json[], version: string): Json {
  const paths: Json = {};
  const definitions: Json = {};
  for (const doc of v3Documents) {
    for (const [path, item] of Object.entries((doc.paths ?? {}) as Json)) paths[path] = pathItemV2(item as Json);
    const schemas = ((doc.components as Json | undefined)?.schemas ?? {}) as Json;
    for (const [name, schema] of Object.entries(schemas)) definitions[name] = schemaV2(schema);
  }
  return { swagger: '2.0', info: { title: 'apiserver-kit', version }, paths, definitions };
}
