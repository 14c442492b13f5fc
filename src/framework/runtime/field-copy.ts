/**
 * Copies an object field by field along two type models. One walk serves four
 * jobs: deep copy (same model), the default conversion (fields that share a
 * property name and shape; the rest is dropped), typed → plain and plain → typed.
 * What differs is only how each side names its keys and makes its objects.
 */
import { cloneJSON, isRecord } from './json-value';
import { pruneUnknownFields } from './schema-prune';
import { valueFitsScalar, type FieldModel, type TypeModel, type ValueShape } from './type-model';

/** How one side of a copy spells its keys and creates its objects. */
export interface Representation {
  key(field: FieldModel): string;
  create(model: TypeModel): Record<string, unknown>;
}

/** Class instances keyed by property name: what user code sees. */
export const TYPED: Representation = {
  key: (f) => f.property,
  create: (m) => new m.cls() as Record<string, unknown>,
};

/** Plain JSON keyed by wire name: what the wire and storage hold. */
export const PLAIN: Representation = {
  key: (f) => f.json,
  create: () => ({}),
};

/** Plain objects keyed by property name: the hub between two plain versions, never seen outside. */
export const PLAIN_BY_PROPERTY: Representation = {
  key: (f) => f.property,
  create: () => ({}),
};

/** Called after each object is copied between two different classes; conversion functions hook in here. */
export type StructHook = (src: Record<string, unknown>, srcModel: TypeModel, dst: Record<string, unknown>, dstModel: TypeModel) => void;

export interface CopyOptions {
  /** Keep keys the source model does not declare (x-kubernetes-preserve-unknown-fields); default: whether both models keep them. */
  preserveUnknown?: boolean;
  /** Copy into this object instead of a new one (to fix the key order of the result). */
  into?: Record<string, unknown>;
  afterStruct?: StructHook;
}

const INCOMPATIBLE = Symbol('incompatible');

export function copyStruct(
  src: Record<string, unknown>,
  srcModel: TypeModel,
  from: Representation,
  dstModel: TypeModel,
  to: Representation,
  opts: CopyOptions = {},
): Record<string, unknown> {
  const dst = opts.into ?? to.create(dstModel);
  for (const dstField of dstModel.fields) {
    const srcField = srcModel === dstModel ? dstField : srcModel.byProperty.get(dstField.property);
    if (!srcField) continue;
    const value = src[from.key(srcField)];
    if (value === undefined) continue;
    const copied = copyValue(value, srcField.shape, dstField.shape, from, to, opts.afterStruct);
    if (copied !== INCOMPATIBLE) dst[to.key(dstField)] = copied;
  }
  if (opts.preserveUnknown ?? (srcModel.preserveUnknown && dstModel.preserveUnknown)) copyUnknownKeys(src, srcModel, from, dst);
  if (opts.afterStruct && srcModel !== dstModel) opts.afterStruct(src, srcModel, dst, dstModel);
  return dst;
}

function copyUnknownKeys(src: Record<string, unknown>, srcModel: TypeModel, from: Representation, dst: Record<string, unknown>): void {
  const known = new Set(srcModel.fields.map((f) => from.key(f)));
  for (const key of Object.keys(src)) {
    if (!known.has(key) && src[key] !== undefined) dst[key] = cloneJSON(src[key]);
  }
}

function copyValue(value: unknown, src: ValueShape, dst: ValueShape, from: Representation, to: Representation, afterStruct?: StructHook): unknown {
  if (value === null) return null;
  switch (dst.kind) {
    case 'scalar':
      if (src.kind === 'scalar' || src.kind === 'intOrString') return valueFitsScalar(value, dst.type) ? value : INCOMPATIBLE;
      return INCOMPATIBLE;
    case 'intOrString':
      if (src.kind === 'scalar' || src.kind === 'intOrString') return typeof value === 'string' || Number.isInteger(value) ? value : INCOMPATIBLE;
      return INCOMPATIBLE;
    case 'free':
      return src.kind === 'free' ? cloneJSON(value) : INCOMPATIBLE;
    case 'json':
      return src.kind === 'json' ? cloneJSON(value) : INCOMPATIBLE;
    case 'schema': {
      if (src.kind !== 'schema') return INCOMPATIBLE;
      // Pruned on every copy, so that what storage still holds from an older schema is dropped on read.
      const copied = cloneJSON(value);
      pruneUnknownFields(copied, dst.schema, '');
      return copied;
    }
    case 'struct':
      if (src.kind !== 'struct' || !isRecord(value)) return INCOMPATIBLE;
      return copyStruct(value, src.model, from, dst.model, to, { preserveUnknown: src.preserveUnknown && dst.preserveUnknown, afterStruct });
    case 'array': {
      if (src.kind !== 'array' || !Array.isArray(value)) return INCOMPATIBLE;
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const item = copyValue(value[i], src.items, dst.items, from, to, afterStruct);
        if (item === INCOMPATIBLE) return INCOMPATIBLE;
        out[i] = item;
      }
      return out;
    }
    case 'map': {
      if (src.kind !== 'map' || !isRecord(value)) return INCOMPATIBLE;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (value[key] === undefined) continue;
        const item = copyValue(value[key], src.values, dst.values, from, to, afterStruct);
        if (item === INCOMPATIBLE) return INCOMPATIBLE;
        out[key] = item;
      }
      return out;
    }
  }
}
