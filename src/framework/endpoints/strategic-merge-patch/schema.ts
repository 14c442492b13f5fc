/**
 * An OpenAPI v3 structural schema as the strategic merge patch sees it: the shape (properties,
 * items, additionalProperties) and the patch extensions. Any richer JSON-schema type with these
 * optional fields is assignable to it.
 */
export interface JSONSchemaProps {
  type?: string;
  properties?: Record<string, JSONSchemaProps>;
  items?: JSONSchemaProps;
  additionalProperties?: JSONSchemaProps | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  /** The field that identifies an element of a merged list of objects, e.g. `name`. */
  'x-kubernetes-patch-merge-key'?: string;
  /** `merge` | `replace` | `retainKeys` | `merge,retainKeys`. */
  'x-kubernetes-patch-strategy'?: string;
}

/** The schema of `key` inside an object: a declared property, else the map's value schema, else unknown. */
export function fieldSchema(schema: JSONSchemaProps | undefined, key: string): JSONSchemaProps | undefined {
  if (schema?.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  return typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

/**
 * Whether a `$`-prefixed key that is no directive is ordinary data here: the schema declares it,
 * or leaves the object's keys open (no schema, preserved unknown fields, no declared shape).
 */
export function isDataKey(schema: JSONSchemaProps | undefined, key: string): boolean {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields'] === true) return true;
  if (schema.properties) return Object.hasOwn(schema.properties, key);
  return typeof schema.additionalProperties !== 'object';
}

/**
 * How a field's value is combined with the patch: `merge` (lists merge by key or as a set),
 * `replace` (the patch value wins), or undefined (maps merge, lists are replaced).
 * `retainKeys` only says that `$retainKeys` may appear inside; it does not change the merge.
 */
export function patchStrategy(schema: JSONSchemaProps | undefined): 'merge' | 'replace' | undefined {
  const strategies = (schema?.['x-kubernetes-patch-strategy'] ?? '').split(',').map((s) => s.trim());
  if (strategies.includes('merge')) return 'merge';
  if (strategies.includes('replace')) return 'replace';
  return undefined;
}

export function patchMergeKey(schema: JSONSchemaProps | undefined): string | undefined {
  return schema?.['x-kubernetes-patch-merge-key'] || undefined;
}
