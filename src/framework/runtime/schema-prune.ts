/**
 * Structural pruning, as kube-apiserver prunes custom resources: object fields a
 * structural schema does not declare are dropped, unless the schema keeps unknown
 * fields (x-kubernetes-preserve-unknown-fields) at that point. Values of the wrong
 * type are left for validation to report.
 */
import { isRecord } from './json-value';
import type { JSONSchemaProps } from './schema';

/** What an embedded resource always keeps, whatever its schema declares. */
const EMBEDDED_TYPE_FIELDS = ['apiVersion', 'kind', 'metadata'];

/**
 * Removes undeclared fields from `value` in place. `path` locates `value` (e.g.
 * `.spec`); the result lists the removed fields' paths, e.g. `.spec.foo` or
 * `.spec.items[0].bar`.
 */
export function pruneUnknownFields(value: unknown, schema: JSONSchemaProps, path: string): string[] {
  const pruned: string[] = [];
  prune(value, schema, path, pruned);
  return pruned;
}

function prune(value: unknown, schema: JSONSchemaProps, path: string, pruned: string[]): void {
  if (Array.isArray(value)) {
    if (schema.items) value.forEach((item, i) => prune(item, schema.items as JSONSchemaProps, `${path}[${i}]`, pruned));
    return;
  }
  if (!isRecord(value)) return;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true;
  const additional = isRecord(schema.additionalProperties) ? (schema.additionalProperties as JSONSchemaProps) : undefined;
  if (!schema.properties && !additional && (preserve || schema.type !== 'object')) return;
  const embedded = schema['x-kubernetes-embedded-resource'] === true;
  for (const key of Object.keys(value)) {
    const declared = schema.properties?.[key] ?? additional;
    if (declared) prune(value[key], declared, `${path}.${key}`, pruned);
    else if (!preserve && !(embedded && EMBEDDED_TYPE_FIELDS.includes(key))) {
      delete value[key];
      pruned.push(`${path}.${key}`);
    }
  }
}
