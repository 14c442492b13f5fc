/**
 * The checks of a custom resource's schema that the framework's schema
 * validation (types, required, enum, pattern, ranges, lengths, item counts) does
 * not make: list-type set and map uniqueness, embedded resources, multipleOf,
 * property counts, formats, and the allOf/anyOf/oneOf/not value validations.
 */
import type { FieldError } from '../api/status';
import { validateAgainstSchema, type JSONSchemaProps } from '../runtime';
import { isRecord } from '../runtime/json-value';
import type { CustomResourceSchema } from './crd-schema';

/** `path` locates value ('' for the root object); errors carry paths like `spec.ports[1]`. */
export function validateSchemaExtras(value: unknown, schema: CustomResourceSchema, path: string): FieldError[] {
  const errors: FieldError[] = [];
  check(value, schema, path, errors);
  return errors;
}

const child = (path: string, key: string) => (path ? `${path}.${key}` : key);

function check(value: unknown, schema: CustomResourceSchema, path: string, errors: FieldError[]): void {
  if (value === null || value === undefined) return;
  checkValueValidations(value, schema, path, errors);
  if (typeof value === 'number') checkNumber(value, schema, path, errors);
  if (typeof value === 'string') checkFormat(value, schema, path, errors);
  if (Array.isArray(value)) {
    checkListType(value, schema, path, errors);
    if (schema.items) value.forEach((item, i) => check(item, schema.items as CustomResourceSchema, `${path}[${i}]`, errors));
  } else if (isRecord(value)) {
    checkObject(value, schema, path, errors);
    for (const [key, item] of Object.entries(value)) {
      const property = schema.properties?.[key] ?? (isRecord(schema.additionalProperties) ? (schema.additionalProperties as CustomResourceSchema) : undefined);
      if (property) check(item, property, child(path, key), errors);
    }
  }
}

function checkNumber(value: number, schema: CustomResourceSchema, path: string, errors: FieldError[]): void {
  if (schema.multipleOf !== undefined && schema.multipleOf > 0 && !Number.isInteger(value / schema.multipleOf)) {
    errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `should be a multiple of ${schema.multipleOf}` });
  }
  if (schema.format === 'int32' && (value < -2147483648 || value > 2147483647)) {
    errors.push({ type: 'FieldValueInvalid', field: path, value, detail: 'must be an int32' });
  }
}

const FORMATS: Record<string, { test: (s: string) => boolean; name: string }> = {
  'date-time': { test: (s) => /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) && !Number.isNaN(Date.parse(s)), name: 'date-time' },
  date: { test: (s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(s)), name: 'date' },
  byte: { test: (s) => /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(s), name: 'byte' },
  uuid: { test: (s) => /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/.test(s), name: 'uuid' },
};

function checkFormat(value: string, schema: CustomResourceSchema, path: string, errors: FieldError[]): void {
  const format = schema.format ? FORMATS[schema.format] : undefined;
  if (format && !format.test(value)) errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `must be of type ${format.name}` });
}

function checkObject(value: Record<string, unknown>, schema: CustomResourceSchema, path: string, errors: FieldError[]): void {
  const count = Object.keys(value).length;
  if (schema.maxProperties !== undefined && count > schema.maxProperties) {
    errors.push({ type: 'FieldValueInvalid', field: path, value: count, detail: `must have at most ${schema.maxProperties} properties` });
  }
  if (schema.minProperties !== undefined && count < schema.minProperties) {
    errors.push({ type: 'FieldValueInvalid', field: path, value: count, detail: `should have at least ${schema.minProperties} properties` });
  }
  if (schema['x-kubernetes-embedded-resource']) {
    for (const key of ['apiVersion', 'kind']) {
      if (typeof value[key] !== 'string' || value[key] === '') errors.push({ type: 'FieldValueRequired', field: child(path, key), detail: 'must not be empty' });
    }
  }
}

function checkListType(value: unknown[], schema: CustomResourceSchema, path: string, errors: FieldError[]): void {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map') return;
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const identity = (item: unknown): unknown => (listType === 'set' || !isRecord(item) ? item : Object.fromEntries(keys.map((k) => [k, item[k] ?? schema.items?.properties?.[k]?.default])));
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const id = identity(item);
    const key = JSON.stringify(id);
    if (seen.has(key)) errors.push({ type: 'FieldValueDuplicate', field: `${path}[${i}]`, value: id });
    seen.add(key);
  });
}

/** allOf, anyOf, oneOf and not: the branches are checked with the framework's and this file's checks. */
function checkValueValidations(value: unknown, schema: CustomResourceSchema, path: string, errors: FieldError[]): void {
  const errorsOf = (branch: CustomResourceSchema) => [...validateAgainstSchema(value, branch as JSONSchemaProps, path), ...validateSchemaExtras(value, branch, path)];
  for (const branch of schema.allOf ?? []) errors.push(...errorsOf(branch));
  if (schema.anyOf && !schema.anyOf.some((branch) => errorsOf(branch).length === 0)) {
    errors.push({ type: 'FieldValueInvalid', field: path, value, detail: 'must match at least one schema in anyOf' });
  }
  if (schema.oneOf && schema.oneOf.filter((branch) => errorsOf(branch).length === 0).length !== 1) {
    errors.push({ type: 'FieldValueInvalid', field: path, value, detail: 'must match exactly one schema in oneOf' });
  }
  if (schema.not && errorsOf(schema.not).length === 0) {
    errors.push({ type: 'FieldValueInvalid', field: path, value, detail: 'must not validate the schema (not)' });
  }
}
