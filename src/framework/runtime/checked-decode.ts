/**
 * Plain JSON from a client → class instances, checking every value's type against
 * the model and reporting (then dropping) fields the model does not declare.
 * Range, enum and pattern are not checked here: that is validation, later.
 */
import { cloneJSON, isRecord, jsonTypeOf } from './json-value';
import { TYPED } from './field-copy';
import { pruneUnknownFields } from './schema-prune';
import { valueFitsScalar, type TypeModel, type ValueShape } from './type-model';

/** A value of the wrong JSON type, located as encoding/json locates it. */
export class FieldTypeError extends Error {
  constructor(
    /** JSON path from the root without the leading dot, e.g. `spec.port`; '' for the root. */
    readonly field: string,
    /** The innermost class that declares the field. */
    readonly structName: string,
    readonly found: string,
    readonly expected: string,
  ) {
    super(
      field
        ? `json: cannot unmarshal ${found} into Go struct field ${structName}.${field} of type ${expected}`
        : `json: cannot unmarshal ${found} into Go value of type ${expected}`,
    );
    this.name = 'FieldTypeError';
  }
}

export interface CheckedDecodeResult {
  object: Record<string, unknown>;
  /** Paths like `.spec.foo`. */
  unknownFields: string[];
}

export function decodeChecked(value: unknown, model: TypeModel): CheckedDecodeResult {
  const unknownFields: string[] = [];
  if (!isRecord(value)) throw new FieldTypeError('', model.name, jsonTypeOf(value), model.name);
  const object = decodeStruct(value, model, '', model.preserveUnknown, unknownFields);
  return { object, unknownFields };
}

function decodeStruct(
  value: Record<string, unknown>,
  model: TypeModel,
  path: string,
  preserveUnknown: boolean,
  unknownFields: string[],
): Record<string, unknown> {
  const obj = TYPED.create(model);
  for (const key of Object.keys(value)) {
    const field = model.byJson.get(key);
    const item = value[key];
    if (!field) {
      if (preserveUnknown) obj[key] = cloneJSON(item);
      else unknownFields.push(`${path}.${key}`);
      continue;
    }
    if (item === null) {
      // As in encoding/json, null leaves a field unset unless the schema allows null.
      if (field.options.nullable) obj[field.property] = null;
      continue;
    }
    obj[field.property] = decodeValue(item, field.shape, `${path}.${key}`, model.name, unknownFields);
  }
  return obj;
}

function decodeValue(value: unknown, shape: ValueShape, path: string, structName: string, unknownFields: string[]): unknown {
  const mismatch = () => new FieldTypeError(path.slice(1), structName, describeFound(value, shape), goTypeOf(shape));
  if (value === null) return null;
  switch (shape.kind) {
    case 'scalar':
      if (!valueFitsScalar(value, shape.type)) throw mismatch();
      return value;
    case 'intOrString':
      if (typeof value !== 'string' && !Number.isInteger(value)) throw mismatch();
      return value;
    case 'free':
      if (!isRecord(value)) throw mismatch();
      return value;
    case 'json':
      return value;
    case 'schema': {
      const pruned = cloneJSON(value);
      unknownFields.push(...pruneUnknownFields(pruned, shape.schema, path));
      return pruned;
    }
    case 'struct':
      if (!isRecord(value)) throw mismatch();
      return decodeStruct(value, shape.model, path, shape.preserveUnknown, unknownFields);
    case 'array':
      if (!Array.isArray(value)) throw mismatch();
      return value.map((item, i) => decodeValue(item, shape.items, `${path}[${i}]`, structName, unknownFields));
    case 'map': {
      if (!isRecord(value)) throw mismatch();
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) out[key] = decodeValue(value[key], shape.values, `${path}.${key}`, structName, unknownFields);
      return out;
    }
  }
}

/** encoding/json names the number when it is a number that does not fit an integer field. */
function describeFound(value: unknown, shape: ValueShape): string {
  const integerField = (shape.kind === 'scalar' && shape.type === 'integer') || shape.kind === 'intOrString';
  return typeof value === 'number' && integerField ? `number ${String(value)}` : jsonTypeOf(value);
}

function goTypeOf(shape: ValueShape): string {
  switch (shape.kind) {
    case 'scalar':
      if (shape.type === 'integer') return shape.format === 'int32' ? 'int32' : 'int64';
      if (shape.type === 'number') return shape.format === 'float' ? 'float32' : 'float64';
      return shape.type === 'boolean' ? 'bool' : 'string';
    case 'intOrString':
      return 'intstr.IntOrString';
    case 'free':
      return 'map[string]interface {}';
    case 'json':
    case 'schema':
      return 'interface {}';
    case 'struct':
      return shape.model.name;
    case 'array':
      return `[]${goTypeOf(shape.items)}`;
    case 'map':
      return `map[string]${goTypeOf(shape.values)}`;
  }
}
