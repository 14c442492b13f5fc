/**
 * An apply configuration merged into the live object along the schema: structs and
 * granular maps merge key by key, list-maps by key and sets by value (keeping both
 * orders as far as they agree), and anything atomic or scalar takes the configured value.
 */
import type { JSONSchemaProps } from '../../runtime';
import { isRecord } from '../../runtime/json-value';
import type { PathElement } from './field-path';
import { atomOf, DEDUCED, itemSchema, listElement, memberSchema, type Atom } from './typed-schema';

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0;
}

/** `lhs` is the live value, `rhs` the configured one; either may be undefined (absent), not both. */
export function mergeValues(lhs: unknown, rhs: unknown, schema: JSONSchemaProps): unknown {
  const atom = atomOf(schema, rhs !== undefined ? rhs : lhs);
  const configured = rhs !== undefined ? rhs : lhs;
  if (atom.kind === 'scalar' || (isEmpty(lhs) && isEmpty(rhs))) return configured;
  if (atom.kind === 'map') {
    if (atom.atomic || !isMapOrAbsent(lhs) || !isMapOrAbsent(rhs)) return configured;
    return mergeMaps(lhs as Record<string, unknown> | undefined, rhs as Record<string, unknown> | undefined, schema);
  }
  if (atom.type === 'atomic' || !isListOrAbsent(lhs) || !isListOrAbsent(rhs)) return configured;
  return mergeLists((lhs as unknown[] | undefined) ?? [], (rhs as unknown[] | undefined) ?? [], atom, schema);
}

function isMapOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || isRecord(value);
}

function isListOrAbsent(value: unknown): boolean {
  return value === undefined || value === null || Array.isArray(value);
}

function mergeMaps(lhs: Record<string, unknown> | undefined, rhs: Record<string, unknown> | undefined, schema: JSONSchemaProps): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const left = lhs ?? {};
  const right = rhs ?? {};
  for (const key of new Set([...Object.keys(left), ...Object.keys(right)])) {
    if (left[key] === undefined && right[key] === undefined) continue;
    out[key] = mergeValues(left[key], right[key], memberSchema(schema, key) ?? DEDUCED);
  }
  return out;
}

/**
 * Elements are matched by their path element. The result walks both lists at once:
 * live elements the configuration does not mention stay where they were, configured
 * ones come in the configuration's order, and shared ones meet in that order too.
 */
function mergeLists(lhs: unknown[], rhs: unknown[], atom: Extract<Atom, { kind: 'list' }>, schema: JSONSchemaProps): unknown[] {
  const elementSchema = itemSchema(schema);
  const leftElements = lhs.map((item) => listElement(atom, schema, item));
  const rightElements = rhs.map((item) => listElement(atom, schema, item));
  const live = new Map<PathElement, unknown>();
  leftElements.forEach((element, i) => {
    // An element the live list holds twice merges as null: the configuration replaces both.
    live.set(element, live.has(element) ? null : lhs[i]);
  });
  const configured = new Map<PathElement, unknown>(rightElements.map((element, i) => [element, rhs[i]]));
  const sharedOrder = rightElements.filter((element) => live.has(element));
  let nextShared = sharedOrder.shift();
  const merged = new Set<PathElement>();
  const out: unknown[] = [];
  const take = (element: PathElement, left: unknown, right: unknown) => {
    merged.add(element);
    out.push(mergeValues(left === null && right !== undefined ? undefined : left, right, elementSchema));
  };

  let l = 0;
  let r = 0;
  while (l < leftElements.length || r < rightElements.length) {
    if (l < leftElements.length && r < rightElements.length) {
      const element = leftElements[l];
      if (element === rightElements[r]) {
        take(element, live.get(element), configured.get(element));
        l++;
        r++;
        nextShared = sharedOrder.shift();
        continue;
      }
      // A shared element that comes later in the configuration's order waits for its turn.
      if (configured.has(element) && nextShared !== undefined && nextShared !== element) {
        l++;
        continue;
      }
    }
    if (l < leftElements.length) {
      const element = leftElements[l];
      if (!configured.has(element)) {
        out.push(mergeValues(lhs[l], undefined, elementSchema));
        l++;
        continue;
      }
      if (merged.has(element)) l++;
    }
    if (r < rightElements.length) {
      const element = rightElements[r];
      take(element, live.get(element), configured.get(element));
      r++;
      if (nextShared === element) nextShared = sharedOrder.shift();
    }
  }
  return out;
}
