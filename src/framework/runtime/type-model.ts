/**
 * The resolved shape of decorated classes: what the codecs, the default conversion
 * and the schema generator walk. Built from the metadata store by a Scheme, once
 * per class, with every thunk resolved and every mistake reported by name.
 */
import type { Class } from './class';
import type { FieldOptions, FieldType } from './field.decorator';
import { typeMetadata, type FieldRecord } from './metadata-store';
import type { JSONSchemaProps } from './schema';

export type ScalarType = 'string' | 'integer' | 'number' | 'boolean';

/** The shape of one value; `struct` points at the model of a decorated class (possibly recursively). */
export type ValueShape =
  | { kind: 'scalar'; type: ScalarType; format?: string }
  | { kind: 'intOrString' }
  | { kind: 'struct'; model: TypeModel; preserveUnknown: boolean }
  | { kind: 'free' }
  /** Any JSON value, not only an object. */
  | { kind: 'json' }
  /** JSON described by a structural schema (FieldOptions.schema). */
  | { kind: 'schema'; schema: JSONSchemaProps }
  | { kind: 'array'; items: ValueShape }
  | { kind: 'map'; values: ValueShape };

export function valueFitsScalar(value: unknown, type: ScalarType): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
  }
}

export interface FieldModel {
  property: string;
  /** The JSON name on the wire. */
  json: string;
  shape: ValueShape;
  options: FieldOptions;
}

export interface TypeModel {
  cls: Class;
  name: string;
  fields: FieldModel[];
  byJson: Map<string, FieldModel>;
  byProperty: Map<string, FieldModel>;
  /** Keys the class does not declare are kept as they are (a kind declared with `preserveUnknownFields`). */
  preserveUnknown: boolean;
}

/** Resolves and caches models; a Scheme owns one so nothing global but the metadata store remains. */
export class TypeModels {
  private readonly cache = new Map<Function, TypeModel>();

  of(cls: Class): TypeModel {
    const cached = this.cache.get(cls);
    if (cached) return cached;
    const kind = typeMetadata.kindOf(cls);
    const preserveUnknown = kind?.role !== 'kind' && kind?.options.preserveUnknownFields === true;
    const model: TypeModel = { cls, name: cls.name, fields: [], byJson: new Map(), byProperty: new Map(), preserveUnknown };
    // Cached before the fields resolve so that recursive types end up pointing at this model.
    this.cache.set(cls, model);
    try {
      for (const record of typeMetadata.fieldsOf(cls)) {
        const field: FieldModel = {
          property: record.property,
          json: record.options.name ?? record.property,
          shape: this.shapeOf(cls, record),
          options: record.options,
        };
        if (model.byJson.has(field.json)) throw new Error(`${cls.name}: two fields have the JSON name "${field.json}"`);
        model.fields.push(field);
        model.byJson.set(field.json, field);
        model.byProperty.set(field.property, field);
      }
    } catch (err) {
      this.cache.delete(cls);
      throw err;
    }
    return model;
  }

  private shapeOf(owner: Class, record: FieldRecord): ValueShape {
    const where = `${owner.name}.${record.property}`;
    const opts = record.options;
    if (opts.array && opts.map) throw new Error(`${where}: a field is an array or a map, not both`);
    if (opts.anyValue) {
      if (record.thunk || opts.array || opts.map) throw new Error(`${where}: a field of any JSON value has no type, array or map option`);
      return { kind: 'json' };
    }
    if (opts.schema) {
      if (record.thunk || opts.array || opts.map) throw new Error(`${where}: a field described by a schema has no type, array or map option`);
      return { kind: 'schema', schema: opts.schema };
    }
    const declared = record.thunk ? record.thunk() : undefined;
    if (record.thunk && declared === undefined) {
      throw new Error(`${where}: the type thunk returned undefined (is the class imported in a cycle?)`);
    }
    const isArray = opts.array || opts.type === 'array' || (record.designType === Array && !opts.map);
    const valueType = declared ?? (isArray || opts.map ? undefined : (record.designType as FieldType | undefined));
    if (valueType === undefined) {
      if (opts.intOrString) return this.wrap({ kind: 'intOrString' }, isArray, opts);
      if (opts.type === 'string' || opts.type === 'integer' || opts.type === 'number' || opts.type === 'boolean') {
        return this.wrap({ kind: 'scalar', type: opts.type, format: opts.format }, isArray, opts);
      }
      if (opts.type === 'object' || opts.embeddedResource || opts.preserveUnknownFields) return this.wrap({ kind: 'free' }, isArray, opts);
      throw new Error(`${where}: declare the ${isArray || opts.map ? 'item ' : ''}type, e.g. @Field(() => String${isArray ? ', { array: true }' : ''})`);
    }
    return this.wrap(this.valueShape(where, valueType, opts), isArray, opts);
  }

  private wrap(value: ValueShape, isArray: boolean, opts: FieldOptions): ValueShape {
    if (isArray) return { kind: 'array', items: value };
    if (opts.map) return { kind: 'map', values: value };
    return value;
  }

  private valueShape(where: string, type: FieldType, opts: FieldOptions): ValueShape {
    if (opts.intOrString) return { kind: 'intOrString' };
    if (type === String) return { kind: 'scalar', type: 'string' };
    if (type === Boolean) return { kind: 'scalar', type: 'boolean' };
    if (type === Number) return { kind: 'scalar', type: opts.type === 'integer' ? 'integer' : 'number', format: opts.format };
    if (type === Object || opts.embeddedResource) return { kind: 'free' };
    if (type === Array) throw new Error(`${where}: declare the item type, e.g. @Field(() => String, { array: true })`);
    if (typeof type !== 'function') throw new Error(`${where}: the type must be a class, String, Number, Boolean or Object`);
    return { kind: 'struct', model: this.of(type as Class), preserveUnknown: opts.preserveUnknownFields === true };
  }
}
