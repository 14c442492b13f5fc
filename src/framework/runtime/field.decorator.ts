import 'reflect-metadata';
import type { Class } from './class';
import { typeMetadata } from './metadata-store';
import type { JSONSchemaProps } from './schema';
import type { SchemaConstraints } from './schema-constraints';

/** What a field holds: a decorated class, a scalar constructor, or Object for free-form JSON. */
export type FieldType = Class | StringConstructor | NumberConstructor | BooleanConstructor | ObjectConstructor;
export type FieldTypeThunk = () => FieldType;

/**
 * How one property appears on the wire and in the schema. For an array or map of
 * scalars the value constraints (enum, format, pattern, minimum…, minLength…) apply
 * to each item; minItems/maxItems, required, nullable and default to the field itself.
 */
export interface FieldOptions extends Omit<SchemaConstraints, 'type'> {
  /** The JSON name; default the property name. */
  name?: string;
  required?: boolean;
  description?: string;
  /** Overrides the schema type; mostly `'integer'` for a Number field (a Number is `'number'` otherwise). */
  type?: SchemaConstraints['type'];
  enum?: readonly (string | number)[];
  /** A list of the thunk type; also inferred when `design:type` is Array. */
  array?: boolean;
  /** A string-keyed map (additionalProperties) of the thunk type. */
  map?: boolean;
  nullable?: boolean;
  default?: unknown;
  /** Strategic merge patch: the key that identifies list items (`x-kubernetes-patch-merge-key`). */
  patchMergeKey?: string;
  /** Strategic merge patch: e.g. `'merge'` or `'retainKeys'` (`x-kubernetes-patch-strategy`). */
  patchStrategy?: string;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  mapType?: 'atomic' | 'granular';
  /** Keep fields the type does not declare instead of reporting and dropping them. */
  preserveUnknownFields?: boolean;
  /** An integer or a string (`x-kubernetes-int-or-string`), like a port name or number. */
  intOrString?: boolean;
  /** A whole object with apiVersion/kind/metadata, kept as free-form JSON. */
  embeddedResource?: boolean;
  /**
   * Any JSON value — object, array, string, number, boolean — kept as it is and
   * published without a type (apiextensions' JSON with x-kubernetes-preserve-unknown-fields),
   * like the value of a JSON patch operation.
   */
  anyValue?: boolean;
  /**
   * The value is described by this structural schema rather than by a type, as a
   * CustomResourceDefinition describes its fields: decoded without type checks
   * (validation reports wrong types), fields the schema does not declare pruned
   * (and reported when decoding), copied as JSON and published as is.
   */
  schema?: JSONSchemaProps;
}

/**
 * Declares a serialized field. The thunk names the value type (the item type for
 * arrays and maps); without it `design:type` is used, which only covers scalars,
 * classes and Object, and only when the build emits decorator metadata.
 */
export function Field(type?: FieldTypeThunk, opts: FieldOptions = {}): PropertyDecorator {
  return (target, property) => {
    if (typeof property !== 'string') throw new Error(`@Field on a symbol property of ${target.constructor.name} is not supported`);
    const designType: unknown = Reflect.getMetadata('design:type', target, property);
    typeMetadata.addField(target.constructor, { property, thunk: type, designType, options: opts });
  };
}
