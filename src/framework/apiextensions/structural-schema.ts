/**
 * Whether a CRD version's schema is structural, as apiextensions requires in v1:
 * every node has a type (unless it is int-or-string or keeps unknown fields),
 * arrays have items, objects have properties or additionalProperties but not
 * both, list and map annotations are consistent, and the root's metadata
 * restricts at most name and generateName. Errors carry the schema's field path.
 */
import type { FieldError } from '../api/status';
import { isRecord } from '../runtime/json-value';
import { SCHEMA_KEYS, type CustomResourceSchema } from './crd-schema';

const TYPES = ['array', 'boolean', 'integer', 'number', 'object', 'string'];
const LIST_TYPES = ['atomic', 'set', 'map'];
const MAP_TYPES = ['atomic', 'granular'];
const UNUSABLE_ROOT_FIELDS = ['constructor', '__proto__'];

/** `path` locates the schema, e.g. `spec.versions[0].schema.openAPIV3Schema`. */
export function validateStructuralSchema(schema: unknown, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isRecord(schema)) return [{ type: 'FieldValueRequired', field: path, detail: 'schemas are required' }];
  const root = schema as CustomResourceSchema;
  if (root.type !== 'object') {
    errors.push(
      root.type === undefined
        ? { type: 'FieldValueRequired', field: `${path}.type`, detail: 'must not be empty at the root' }
        : { type: 'FieldValueNotSupported', field: `${path}.type`, value: root.type, detail: 'supported values: "object"' },
    );
  }
  checkNode(root, path, errors, false);
  checkRootMetadata(root, path, errors);
  for (const name of Object.keys(root.properties ?? {})) {
    // Top-level fields become properties of the resource's class; these two would break any JavaScript object.
    if (UNUSABLE_ROOT_FIELDS.includes(name)) errors.push({ type: 'FieldValueForbidden', field: `${path}.properties[${name}]`, detail: 'is not a usable field name' });
  }
  return errors;
}

function checkNode(schema: CustomResourceSchema, path: string, errors: FieldError[], insideValueValidation: boolean): void {
  for (const key of Object.keys(schema)) {
    if (!SCHEMA_KEYS.has(key)) errors.push({ type: 'FieldValueForbidden', field: `${path}.${key}`, detail: 'must not be specified in a structural schema' });
  }
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  if (schema.type !== undefined && !TYPES.includes(schema.type)) {
    errors.push({ type: 'FieldValueNotSupported', field: `${path}.type`, value: schema.type, detail: `supported values: ${TYPES.map((t) => JSON.stringify(t)).join(', ')}` });
  }
  if (!insideValueValidation && schema.type === undefined && !intOrString && !preserve) {
    errors.push({ type: 'FieldValueRequired', field: `${path}.type`, detail: 'must not be empty for specified object fields' });
  }
  if (intOrString && schema.type !== undefined) {
    errors.push({ type: 'FieldValueInvalid', field: `${path}.type`, value: schema.type, detail: 'must be empty if x-kubernetes-int-or-string is true' });
  }
  if (schema['x-kubernetes-embedded-resource'] === true && schema.type !== 'object') {
    errors.push({ type: 'FieldValueInvalid', field: `${path}.type`, value: schema.type ?? '', detail: 'must be object if x-kubernetes-embedded-resource is true' });
  }
  if (schema.uniqueItems === true) {
    errors.push({ type: 'FieldValueForbidden', field: `${path}.uniqueItems`, detail: 'uniqueItems cannot be set to true since the runtime complexity becomes quadratic' });
  }
  if (schema.properties && schema.additionalProperties !== undefined && schema.additionalProperties !== false) {
    errors.push({ type: 'FieldValueForbidden', field: `${path}.additionalProperties`, detail: 'additionalProperties and properties are mutual exclusive' });
  }
  if (schema.additionalProperties === false) {
    errors.push({ type: 'FieldValueForbidden', field: `${path}.additionalProperties`, detail: 'must not be false' });
  }
  if (schema.type === 'array' && !insideValueValidation && !isRecord(schema.items)) {
    errors.push({ type: 'FieldValueRequired', field: `${path}.items`, detail: 'must be specified' });
  }
  checkListAndMapTypes(schema, path, errors);

  for (const [name, child] of Object.entries(schema.properties ?? {})) checkChild(child, `${path}.properties[${name}]`, errors, insideValueValidation);
  if (isRecord(schema.additionalProperties)) checkChild(schema.additionalProperties as CustomResourceSchema, `${path}.additionalProperties`, errors, insideValueValidation);
  if (schema.items !== undefined) checkChild(schema.items, `${path}.items`, errors, insideValueValidation);
  // Value validations (allOf, anyOf, oneOf, not) may leave types out: the structure comes from the node itself.
  for (const junctor of ['allOf', 'anyOf', 'oneOf'] as const) {
    (schema[junctor] ?? []).forEach((branch, i) => checkChild(branch, `${path}.${junctor}[${i}]`, errors, true));
  }
  if (schema.not !== undefined) checkChild(schema.not, `${path}.not`, errors, true);
}

function checkChild(child: unknown, path: string, errors: FieldError[], insideValueValidation: boolean): void {
  if (!isRecord(child)) {
    errors.push({ type: 'FieldValueInvalid', field: path, detail: 'must be a schema object' });
    return;
  }
  checkNode(child as CustomResourceSchema, path, errors, insideValueValidation);
}

function checkListAndMapTypes(schema: CustomResourceSchema, path: string, errors: FieldError[]): void {
  const listType = schema['x-kubernetes-list-type'];
  const keys = schema['x-kubernetes-list-map-keys'];
  if (listType !== undefined) {
    if (!LIST_TYPES.includes(listType)) {
      errors.push({ type: 'FieldValueNotSupported', field: `${path}.x-kubernetes-list-type`, value: listType, detail: 'supported values: "atomic", "map", "set"' });
    } else if (schema.type !== 'array') {
      errors.push({ type: 'FieldValueInvalid', field: `${path}.x-kubernetes-list-type`, value: listType, detail: 'must only be used if type is array' });
    }
  }
  if (keys !== undefined && listType !== 'map') {
    errors.push({ type: 'FieldValueForbidden', field: `${path}.x-kubernetes-list-map-keys`, detail: 'must only be used if x-kubernetes-list-type is "map"' });
  }
  if (listType === 'map') {
    const items = schema.items;
    if (!keys || keys.length === 0) {
      errors.push({ type: 'FieldValueRequired', field: `${path}.x-kubernetes-list-map-keys`, detail: 'must not be empty if x-kubernetes-list-type is map' });
    } else if (items?.type !== 'object') {
      errors.push({ type: 'FieldValueInvalid', field: `${path}.items.type`, value: items?.type ?? '', detail: 'must be object if parent array\'s x-kubernetes-list-type is map' });
    } else {
      for (const key of keys) {
        const keySchema = items.properties?.[key];
        if (!keySchema) {
          errors.push({ type: 'FieldValueRequired', field: `${path}.items.properties[${key}]`, detail: 'entries for x-kubernetes-list-map-keys must be specified' });
        } else if (!(items.required ?? []).includes(key) && keySchema.default === undefined) {
          errors.push({ type: 'FieldValueRequired', field: `${path}.items.required`, detail: `all map keys must be required or have a default value, "${key}" is not` });
        }
      }
    }
  }
  if (listType === 'set' && schema.items && !['string', 'integer', 'number', 'boolean'].includes(schema.items.type ?? '') && !schema.items['x-kubernetes-int-or-string']) {
    errors.push({ type: 'FieldValueInvalid', field: `${path}.items.type`, value: schema.items.type ?? '', detail: 'must be a scalar type if parent array\'s x-kubernetes-list-type is set' });
  }
  const mapType = schema['x-kubernetes-map-type'];
  if (mapType !== undefined) {
    if (!MAP_TYPES.includes(mapType)) {
      errors.push({ type: 'FieldValueNotSupported', field: `${path}.x-kubernetes-map-type`, value: mapType, detail: 'supported values: "atomic", "granular"' });
    } else if (schema.type !== 'object') {
      errors.push({ type: 'FieldValueInvalid', field: `${path}.x-kubernetes-map-type`, value: mapType, detail: 'must only be used if type is object' });
    }
  }
}

/** The root's metadata is ObjectMeta: a schema may only restrict its name and generateName. */
function checkRootMetadata(root: CustomResourceSchema, path: string, errors: FieldError[]): void {
  const metadata = root.properties?.metadata;
  if (!metadata) return;
  const field = `${path}.properties[metadata]`;
  const allowed = new Set(['type', 'properties', 'description']);
  for (const key of Object.keys(metadata)) {
    if (!allowed.has(key)) errors.push({ type: 'FieldValueForbidden', field: `${field}.${key}`, detail: 'must not be specified: metadata is implicitly specified' });
  }
  if (metadata.type !== undefined && metadata.type !== 'object') {
    errors.push({ type: 'FieldValueInvalid', field: `${field}.type`, value: metadata.type, detail: 'must be object' });
  }
  for (const name of Object.keys(metadata.properties ?? {})) {
    if (name !== 'name' && name !== 'generateName') {
      errors.push({ type: 'FieldValueForbidden', field: `${field}.properties[${name}]`, detail: 'must not be specified: only name and generateName may be restricted' });
    }
  }
}
