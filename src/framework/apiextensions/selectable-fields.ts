/**
 * A CRD version's selectableFields: simple JSON paths (`.spec.color`) to string,
 * boolean or integer fields of its schema that field selectors may use on list
 * and watch, beside metadata.name and metadata.namespace. The selector names a
 * field by its path without the leading dot (`spec.color=blue`); an absent field
 * reads as the empty string.
 */
import type { FieldError } from '../api/status';
import type { StoredObject } from '../storage/interface';
import { isRecord } from '../runtime/json-value';
import type { CustomResourceSchema } from './crd-schema';
import type { SelectableField } from './types';

const MAX_SELECTABLE_FIELDS = 8;
const SIMPLE_PATH = /^(\.[A-Za-z_][A-Za-z0-9_-]*)+$/;
const SELECTABLE_TYPES = ['string', 'boolean', 'integer'];

/** The errors of one version's selectableFields against its schema; `path` is e.g. `spec.versions[0].selectableFields`. */
export function validateSelectableFields(fields: SelectableField[], schema: CustomResourceSchema | undefined, path: string): FieldError[] {
  if (fields.length > MAX_SELECTABLE_FIELDS) {
    return [{ type: 'FieldValueInvalid', field: path, value: fields.length, detail: `must have at most ${MAX_SELECTABLE_FIELDS} items` }];
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  fields.forEach((selectable, i) => {
    const field = `${path}[${i}].jsonPath`;
    const jsonPath = selectable.jsonPath;
    if (!jsonPath) {
      errors.push({ type: 'FieldValueRequired', field });
      return;
    }
    if (!SIMPLE_PATH.test(jsonPath)) {
      errors.push({ type: 'FieldValueInvalid', field, value: jsonPath, detail: 'must be a simple json path starting with . and without array notation' });
      return;
    }
    if (jsonPath.startsWith('.metadata.') || jsonPath === '.metadata') {
      errors.push({ type: 'FieldValueInvalid', field, value: jsonPath, detail: 'must not point to fields in metadata' });
      return;
    }
    if (seen.has(jsonPath)) errors.push({ type: 'FieldValueDuplicate', field, value: jsonPath });
    seen.add(jsonPath);
    const target = schemaAt(schema, jsonPath.slice(1).split('.'));
    if (!target) errors.push({ type: 'FieldValueInvalid', field, value: jsonPath, detail: 'is an invalid path' });
    else if (!SELECTABLE_TYPES.includes(target.type ?? '')) {
      errors.push({ type: 'FieldValueInvalid', field, value: jsonPath, detail: 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed' });
    }
  });
  return errors;
}

/** Readers of the selectable fields, keyed by the name a field selector uses. */
export function selectableFieldReaders(fields: SelectableField[]): Record<string, (obj: StoredObject) => string | undefined> {
  return Object.fromEntries(
    fields.map(({ jsonPath }) => {
      const steps = jsonPath.slice(1).split('.');
      return [jsonPath.slice(1), (obj: StoredObject) => selectorValue(steps, obj)];
    }),
  );
}

function selectorValue(steps: string[], obj: StoredObject): string | undefined {
  let value: unknown = obj;
  for (const step of steps) value = isRecord(value) ? value[step] : undefined;
  return typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number' ? String(value) : undefined;
}

function schemaAt(schema: CustomResourceSchema | undefined, steps: string[]): CustomResourceSchema | undefined {
  let node = schema;
  for (const step of steps) {
    if (!node) return undefined;
    node = node.properties?.[step] ?? (isRecord(node.additionalProperties) ? (node.additionalProperties as CustomResourceSchema) : undefined);
  }
  return node;
}
