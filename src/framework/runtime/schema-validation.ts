/**
 * Checks plain JSON against a structural schema — types, required fields, enums,
 * patterns, ranges, lengths and item counts — and returns field errors for a 422.
 */
import type { FieldError } from '../api/status';
import { isRecord } from './json-value';
import type { JSONSchemaProps } from './schema';
import { valueFitsScalar } from './type-model';

/** `path` is the field path of `value`, e.g. `spec`, or '' for a root object. Errors carry paths like `spec.ports[0].port`. */
export function validateAgainstSchema(value: unknown, schema: JSONSchemaProps, path: string): FieldError[] {
  const errors: FieldError[] = [];
  validateValue(value, schema, path, errors);
  return errors;
}

function validateValue(value: unknown, schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined) errors.push(typeError(path, value, schema.type));
    return;
  }
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) {
      errors.push({ type: 'FieldValueTypeInvalid', field: path, value, detail: 'must be an integer or a string' });
      return;
    }
  } else if (schema.type && !hasType(value, schema.type)) {
    errors.push(typeError(path, value, schema.type));
    return;
  }
  if (schema.enum && !schema.enum.includes(value as string | number)) {
    errors.push({
      type: 'FieldValueNotSupported',
      field: path,
      value,
      detail: `supported values: ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`,
    });
  }
  if (typeof value === 'string') validateString(value, schema, path, errors);
  else if (typeof value === 'number') validateNumber(value, schema, path, errors);
  else if (Array.isArray(value)) validateArray(value, schema, path, errors);
  else if (isRecord(value)) validateObject(value, schema, path, errors);
}

function validateString(value: string, schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  if (schema.maxLength !== undefined && value.length > schema.maxLength) {
    errors.push({ type: 'FieldValueTooLong', field: path, value, detail: `may not be more than ${schema.maxLength} bytes` });
  }
  if (schema.minLength !== undefined && value.length < schema.minLength) {
    errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `should be at least ${schema.minLength} chars long` });
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `should match '${schema.pattern}'` });
  }
}

function validateNumber(value: number, schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  if (schema.minimum !== undefined) {
    const tooSmall = schema.exclusiveMinimum ? value <= schema.minimum : value < schema.minimum;
    if (tooSmall) {
      const relation = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
      errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `should be ${relation} ${schema.minimum}` });
    }
  }
  if (schema.maximum !== undefined) {
    const tooLarge = schema.exclusiveMaximum ? value >= schema.maximum : value > schema.maximum;
    if (tooLarge) {
      const relation = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
      errors.push({ type: 'FieldValueInvalid', field: path, value, detail: `should be ${relation} ${schema.maximum}` });
    }
  }
}

function validateArray(value: unknown[], schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    errors.push({ type: 'FieldValueInvalid', field: path, value: value.length, detail: `must have at most ${schema.maxItems} items` });
  }
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    errors.push({ type: 'FieldValueInvalid', field: path, value: value.length, detail: `should have at least ${schema.minItems} items` });
  }
  if (schema.items) value.forEach((item, i) => validateValue(item, schema.items as JSONSchemaProps, `${path}[${i}]`, errors));
}

function validateObject(value: Record<string, unknown>, schema: JSONSchemaProps, path: string, errors: FieldError[]): void {
  const child = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) errors.push({ type: 'FieldValueRequired', field: child(key) });
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const propertySchema = schema.properties?.[key] ?? (isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined);
    if (propertySchema) validateValue(item, propertySchema, child(key), errors);
  }
}

function hasType(value: unknown, type: NonNullable<JSONSchemaProps['type']>): boolean {
  if (type === 'array') return Array.isArray(value);
  if (type === 'object') return isRecord(value);
  return valueFitsScalar(value, type);
}

function typeError(path: string, value: unknown, type: string): FieldError {
  return { type: 'FieldValueTypeInvalid', field: path, value, detail: `must be of type ${type}` };
}
