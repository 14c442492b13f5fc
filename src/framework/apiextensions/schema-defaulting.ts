/**
 * Structural defaulting of custom resources, as kube-apiserver applies it after
 * pruning and before validation (on requests and on reads from storage): null
 * in a field that is not nullable is dropped, then a missing field with a
 * `default` gets a copy of it, and defaulting continues inside what is there.
 */
import { cloneJSON, isRecord } from '../runtime/json-value';
import type { CustomResourceSchema } from './crd-schema';

/** Defaults the fields of one object (in place) along its object schema. */
export function applyDefaults(obj: Record<string, unknown>, schema: CustomResourceSchema): void {
  if (schema.properties) {
    for (const [key, property] of Object.entries(schema.properties)) {
      if (obj[key] === null && !property.nullable) delete obj[key];
      if (obj[key] === undefined && property.default !== undefined) obj[key] = cloneJSON(property.default);
      if (obj[key] !== undefined) defaultValue(obj[key], property);
    }
  } else if (isRecord(schema.additionalProperties)) {
    const values = schema.additionalProperties as CustomResourceSchema;
    for (const key of Object.keys(obj)) {
      if (obj[key] === null && !values.nullable) delete obj[key];
      else defaultValue(obj[key], values);
    }
  }
}

function defaultValue(value: unknown, schema: CustomResourceSchema): void {
  if (isRecord(value)) applyDefaults(value, schema);
  else if (Array.isArray(value) && schema.items) for (const item of value) defaultValue(item, schema.items);
}
