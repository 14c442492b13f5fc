/**
 * The directive keys of a strategic merge patch map, separated from its ordinary fields.
 * Directives: `$patch`, `$retainKeys`, `$setElementOrder/<list>`, `$deleteFromPrimitiveList/<list>`.
 */
import { errBadPatchType, errBadPrimitiveList, errBadSetElementOrder, errUnknownDirective } from './errors';
import { isJSONObject, type JSONObject } from './json';
import { isDataKey, type JSONSchemaProps } from './schema';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

export type PatchType = 'merge' | 'replace' | 'delete';

export interface MapPatch {
  /** `$patch`; `merge` when absent. */
  patchType: PatchType;
  /** `$retainKeys`, unvalidated, when present. */
  retainKeys?: unknown;
  /** `$setElementOrder/<list>`: list field name → the desired order, unvalidated. */
  setElementOrder: Map<string, unknown>;
  /** `$deleteFromPrimitiveList/<list>`: list field name → values to remove, unvalidated. */
  deleteFromPrimitiveList: Map<string, unknown>;
  /** Everything else, in patch order. */
  fields: [string, unknown][];
}

/**
 * Splits a patch map of an object described by `schema`. Directives count everywhere, as upstream;
 * any other `$`-prefixed key is a 400 unless it is data there (declared, or the keys are open).
 */
export function splitDirectives(patch: JSONObject, schema: JSONSchemaProps | undefined): MapPatch {
  const split: MapPatch = {
    patchType: 'merge',
    setElementOrder: new Map(),
    deleteFromPrimitiveList: new Map(),
    fields: [],
  };
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH) split.patchType = parsePatchType(value, patch);
    else if (key === RETAIN_KEYS) split.retainKeys = value;
    else if (key.startsWith(SET_ELEMENT_ORDER)) {
      split.setElementOrder.set(listField(key, SET_ELEMENT_ORDER, errBadSetElementOrder), value);
    } else if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      split.deleteFromPrimitiveList.set(listField(key, DELETE_FROM_PRIMITIVE_LIST, errBadPrimitiveList), value);
    } else if (!key.startsWith('$') || isDataKey(schema, key)) split.fields.push([key, value]);
    else throw errUnknownDirective(key);
  }
  return split;
}

function parsePatchType(value: unknown, map: JSONObject): PatchType {
  if (value === 'merge' || value === 'replace' || value === 'delete') return value;
  throw errBadPatchType(value, map);
}

function listField(key: string, prefix: string, malformed: () => Error): string {
  const field = key.slice(prefix.length);
  if (!field) throw malformed();
  return field;
}

/** The `$patch` of a list element, if it has one. */
export function elementPatchType(element: JSONObject): PatchType | undefined {
  return Object.hasOwn(element, PATCH) ? parsePatchType(element[PATCH], element) : undefined;
}

/** Whether a list element carries `$patch`, whatever its value. */
export function hasPatchDirective(element: unknown): boolean {
  return isJSONObject(element) && Object.hasOwn(element, PATCH);
}
