/**
 * Strategic merge patch (`application/strategic-merge-patch+json`) with the semantics of
 * kube-apiserver: a JSON merge patch whose lists merge by key where the schema says so,
 * plus the `$patch`, `$retainKeys`, `$setElementOrder/` and `$deleteFromPrimitiveList/` directives.
 */
import { elementPatchType, hasPatchDirective, splitDirectives, type MapPatch } from './directives';
import { orderMergedList } from './element-order';
import { elementIdentity, elementKind, type ElementIdentity } from './elements';
import {
  errBadPrimitiveList,
  errBadRetainKeys,
  errBadSetElementOrder,
  errMergeDirectiveInList,
  errNotAnObject,
  errOrderMismatch,
} from './errors';
import { isJSONObject, ownValue, setOwn, type JSONObject } from './json';
import { fieldSchema, patchMergeKey, patchStrategy, type JSONSchemaProps } from './schema';
import { serverPositionsAfterMerge } from './server-positions';

/** What a patch value yields when it removes its field (`null`, or a map with `$patch: delete`). */
const REMOVED = Symbol('removed');

/**
 * Applies a strategic merge patch to `original` (plain JSON) and returns the result.
 * `schema` is the object's structural schema; its `x-kubernetes-patch-strategy` and
 * `x-kubernetes-patch-merge-key` decide how lists merge. Fields the schema does not describe
 * merge like a JSON merge patch (maps merge, lists are replaced).
 * Never mutates `original` or `patch`; the result may share unchanged subtrees with `original`.
 * Throws a 400 StatusError when the patch is not an object or is malformed.
 */
export function applyStrategicMergePatch(
  original: unknown,
  patch: unknown,
  schema: JSONSchemaProps,
): Record<string, unknown> {
  if (!isJSONObject(patch)) throw errNotAnObject(patch);
  const merged = mergeObject(isJSONObject(original) ? original : {}, patch, schema);
  return merged === REMOVED ? {} : merged;
}

function mergeObject(
  original: JSONObject,
  patch: JSONObject,
  schema: JSONSchemaProps | undefined,
): JSONObject | typeof REMOVED {
  const split = splitDirectives(patch, schema);
  if (split.patchType === 'delete') return REMOVED;
  const result: JSONObject = split.patchType === 'replace' ? {} : { ...original };
  if (split.retainKeys !== undefined) retainKeys(result, split);
  for (const [field, order] of split.setElementOrder) mergeOrderedList(result, field, order, patch, schema);
  for (const [key, value] of split.fields) {
    if (split.setElementOrder.has(key)) continue;
    const merged = mergeValue(ownValue(result, key), value, fieldSchema(schema, key));
    if (merged === REMOVED) delete result[key];
    else setOwn(result, key, merged);
  }
  for (const [field, values] of split.deleteFromPrimitiveList) deleteFromPrimitiveList(result, field, values);
  return result;
}

/** `original` is undefined when the field is absent; a patch value meets it as if it merged into nothing. */
function mergeValue(original: unknown, patch: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (patch === null) return REMOVED;
  if (isJSONObject(patch)) {
    const mergesInto = isJSONObject(original) && patchStrategy(schema) !== 'replace';
    return mergeObject(mergesInto ? original : {}, patch, schema);
  }
  if (Array.isArray(patch)) return mergeList(Array.isArray(original) ? original : [], patch, schema);
  return patch;
}

/** A list with strategy `merge` merges by merge key (objects) or as a set (primitives); others are replaced. */
function mergeList(original: unknown[], patch: unknown[], schema: JSONSchemaProps | undefined): unknown[] {
  const itemSchema = schema?.items;
  if (patchStrategy(schema) !== 'merge') {
    return patch.filter((e) => !hasPatchDirective(e)).map((e) => newElement(e, itemSchema));
  }
  const kind = elementKind(original, patch);
  if (kind === 'primitive') return mergePrimitiveList(original, patch);
  // elementKind has checked that every element is an object.
  if (kind === 'object') return mergeObjectList(original, patch as JSONObject[], patchMergeKey(schema), itemSchema);
  return [];
}

function mergePrimitiveList(original: unknown[], patch: unknown[]): unknown[] {
  const union = [...new Set([...original, ...patch])];
  return orderMergedList(union, patch, original, elementIdentity('primitive', undefined));
}

function mergeObjectList(
  original: unknown[],
  patch: JSONObject[],
  mergeKey: string | undefined,
  itemSchema: JSONSchemaProps | undefined,
): unknown[] {
  const keyOf = elementIdentity('object', mergeKey);
  let server = original;
  let replace = false;
  const named: JSONObject[] = [];
  for (const element of patch) {
    switch (elementPatchType(element)) {
      case undefined:
        named.push(element);
        break;
      case 'delete': {
        const key = keyOf(element);
        server = server.filter((e) => keyOf(e) !== key);
        break;
      }
      case 'replace':
        replace = true;
        break;
      case 'merge':
        throw errMergeDirectiveInList();
    }
  }
  if (replace) {
    named.forEach(keyOf); // the replacement, too, must carry its merge keys
    return named.map((e) => newElement(e, itemSchema));
  }
  const merged = [...server];
  for (const element of named) {
    const key = keyOf(element);
    const at = merged.findIndex((e) => keyOf(e) === key);
    const existing = merged[at];
    if (isJSONObject(existing)) merged[at] = mergeObject(existing, element, itemSchema);
    else merged.push(newElement(element, itemSchema));
  }
  return orderMergedList(merged, named, server, keyOf);
}

/** A patch list element without a counterpart; it carries no `$patch`, so it is never removed. */
function newElement(element: unknown, schema: JSONSchemaProps | undefined): unknown {
  if (isJSONObject(element)) return mergeObject({}, element, schema);
  if (Array.isArray(element)) return mergeList([], element, schema);
  return element;
}

/** `$retainKeys`: every field the patch sets must be listed; fields not listed are cleared. */
function retainKeys(result: JSONObject, split: MapPatch): void {
  const keep = split.retainKeys;
  if (!Array.isArray(keep)) throw errBadRetainKeys();
  if (split.fields.some(([key, value]) => value !== null && !keep.includes(key))) throw errBadRetainKeys();
  for (const key of Object.keys(result)) if (!keep.includes(key)) delete result[key];
}

/**
 * `$setElementOrder/<field>`: merges the field's patch list (if any) and orders the result by
 * `order`; elements it does not name keep their server order, interleaved as upstream does.
 */
function mergeOrderedList(
  result: JSONObject,
  field: string,
  order: unknown,
  patch: JSONObject,
  schema: JSONSchemaProps | undefined,
): void {
  const original = ownValue(result, field);
  const patchList = ownValue(patch, field);
  if (!Array.isArray(order)) throw errBadSetElementOrder();
  if (original !== undefined && !Array.isArray(original)) throw errBadSetElementOrder();
  if (patchList !== undefined && !Array.isArray(patchList)) throw errBadSetElementOrder();
  const listSchema = fieldSchema(schema, field);
  const kind = elementKind(original ?? [], patchList ?? [], order);
  if (kind === undefined) return;
  const identity = elementIdentity(kind, patchMergeKey(listSchema));
  checkOrderCoversPatch(patchList ?? [], order, identity);
  const merged = patchList === undefined ? original : mergeList(original ?? [], patchList, listSchema);
  if (merged === undefined) return;
  const mergedByKey = kind === 'object' && patchStrategy(listSchema) === 'merge';
  const serverOrder = mergedByKey ? serverPositionsAfterMerge(original ?? [], patchList ?? [], identity) : original;
  setOwn(result, field, orderMergedList(merged, order, serverOrder ?? [], identity));
}

/** The patch list's elements (deletions aside) must all appear in `order`, in the same relative order. */
function checkOrderCoversPatch(patchList: unknown[], order: unknown[], identity: ElementIdentity): void {
  const named = patchList.filter((e) => !hasPatchDirective(e));
  let next = 0;
  for (const entry of order) if (next < named.length && identity(named[next]) === identity(entry)) next++;
  if (next < named.length) throw errOrderMismatch(patchList, order);
}

/** `$deleteFromPrimitiveList/<field>`: removes the listed values from the field's list, if it has one. */
function deleteFromPrimitiveList(result: JSONObject, field: string, values: unknown): void {
  if (!Array.isArray(values)) throw errBadPrimitiveList();
  const list = ownValue(result, field);
  if (Array.isArray(list)) setOwn(result, field, list.filter((v) => !values.includes(v)));
}
