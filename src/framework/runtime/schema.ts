/**
 * OpenAPI v3 structural schemas from type models, nested objects inline, with the
 * x-kubernetes-* extensions kubectl and server-side apply read.
 */
import type { FieldOptions } from './field.decorator';
import { cloneJSON } from './json-value';
import type { SchemaConstraints } from './schema-constraints';
import type { FieldModel, TypeModel, ValueShape } from './type-model';

export interface JSONSchemaProps extends SchemaConstraints {
  description?: string;
  default?: unknown;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, JSONSchemaProps>;
  required?: string[];
  items?: JSONSchemaProps;
  additionalProperties?: JSONSchemaProps | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

/** The schema of a decorated class; throws for recursive types, which structural schemas cannot express. */
export function schemaOfModel(model: TypeModel): JSONSchemaProps {
  return structSchema(model, model.preserveUnknown, []);
}

function structSchema(model: TypeModel, preserveUnknown: boolean, open: TypeModel[]): JSONSchemaProps {
  if (open.includes(model)) {
    const cycle = [...open.slice(open.indexOf(model)), model].map((m) => m.name).join(' → ');
    throw new Error(`${cycle}: a recursive type has no structural schema`);
  }
  const inner = [...open, model];
  const schema: JSONSchemaProps = { type: 'object' };
  const properties: Record<string, JSONSchemaProps> = {};
  const required: string[] = [];
  for (const field of model.fields) {
    properties[field.json] = fieldSchema(field, inner);
    if (field.options.required) required.push(field.json);
  }
  if (model.fields.length > 0) schema.properties = properties;
  if (required.length > 0) schema.required = required;
  if (preserveUnknown) schema['x-kubernetes-preserve-unknown-fields'] = true;
  return schema;
}

function fieldSchema(field: FieldModel, open: TypeModel[]): JSONSchemaProps {
  const opts = field.options;
  const schema = shapeSchema(field.shape, opts, open);
  const withDescription: JSONSchemaProps = opts.description ? { description: opts.description, ...schema } : schema;
  assignDefined(withDescription, {
    default: opts.default,
    nullable: opts.nullable,
    minItems: opts.minItems,
    maxItems: opts.maxItems,
    'x-kubernetes-list-type': opts.listType,
    'x-kubernetes-list-map-keys': opts.listMapKeys,
    'x-kubernetes-map-type': opts.mapType,
    'x-kubernetes-patch-merge-key': opts.patchMergeKey,
    'x-kubernetes-patch-strategy': opts.patchStrategy,
  });
  return withDescription;
}

function shapeSchema(shape: ValueShape, opts: FieldOptions, open: TypeModel[]): JSONSchemaProps {
  switch (shape.kind) {
    case 'scalar':
      return withValueConstraints({ type: shape.type }, opts);
    case 'intOrString':
      return withValueConstraints({ 'x-kubernetes-int-or-string': true }, opts);
    case 'free': {
      const schema: JSONSchemaProps = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };
      if (opts.embeddedResource) schema['x-kubernetes-embedded-resource'] = true;
      return schema;
    }
    case 'json':
      return { 'x-kubernetes-preserve-unknown-fields': true };
    case 'schema':
      return cloneJSON(shape.schema);
    case 'struct':
      return structSchema(shape.model, shape.preserveUnknown, open);
    case 'array':
      return { type: 'array', items: shapeSchema(shape.items, opts, open) };
    case 'map':
      return { type: 'object', additionalProperties: shapeSchema(shape.values, opts, open) };
  }
}

function withValueConstraints(schema: JSONSchemaProps, opts: FieldOptions): JSONSchemaProps {
  return assignDefined(schema, {
    format: opts.format,
    enum: opts.enum ? [...opts.enum] : undefined,
    minimum: opts.minimum,
    maximum: opts.maximum,
    exclusiveMinimum: opts.exclusiveMinimum,
    exclusiveMaximum: opts.exclusiveMaximum,
    minLength: opts.minLength,
    maxLength: opts.maxLength,
    pattern: opts.pattern,
  });
}

function assignDefined(schema: JSONSchemaProps, extra: JSONSchemaProps): JSONSchemaProps {
  for (const [key, value] of Object.entries(extra)) {
    if (value !== undefined) (schema as Record<string, unknown>)[key] = value;
  }
  return schema;
}
