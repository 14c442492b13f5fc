/**
 * The OpenAPI v3 schema of a custom resource version, as a CRD carries it: the
 * structural JSONSchemaProps the runtime understands plus the value validations
 * apiextensions allows beside them.
 */
import type { JSONSchemaProps } from '../runtime';

export interface CustomResourceSchema extends Omit<JSONSchemaProps, 'properties' | 'items' | 'additionalProperties'> {
  properties?: Record<string, CustomResourceSchema>;
  items?: CustomResourceSchema;
  additionalProperties?: CustomResourceSchema | boolean;
  multipleOf?: number;
  minProperties?: number;
  maxProperties?: number;
  uniqueItems?: boolean;
  allOf?: CustomResourceSchema[];
  anyOf?: CustomResourceSchema[];
  oneOf?: CustomResourceSchema[];
  not?: CustomResourceSchema;
  /** CEL rules (see validation-rules.ts). */
  'x-kubernetes-validations'?: unknown[];
}

/** The keys a node may carry; anything else (`$ref`, `patternProperties`…) makes a schema non-structural. */
export const SCHEMA_KEYS = new Set([
  'type',
  'format',
  'title',
  'description',
  'default',
  'example',
  'nullable',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'externalDocs',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

