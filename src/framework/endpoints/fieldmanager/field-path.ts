/**
 * Paths into an object as server-side apply names them. Each path element keeps its
 * FieldsV1 spelling, made canonical so that equal elements are equal strings:
 *
 *   f:<name>          a field of a struct, or an entry of a map
 *   k:<JSON object>   an element of a list-map, by its key fields (sorted by name)
 *   v:<JSON value>    an element of a set
 *   i:<index>         an element by position (read from clients, never produced)
 */
import { isRecord } from '../../runtime/json-value';

export type PathElement = string;
export type FieldPath = readonly PathElement[];

/** JSON with object keys sorted, so that equal values have one spelling. */
export function canonicalJSON(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJSON).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((k) => value[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function fieldElement(name: string): PathElement {
  return `f:${name}`;
}

/** A list-map element, named by its key fields. */
export function keyElement(keyFields: Record<string, unknown>): PathElement {
  return `k:${canonicalJSON(keyFields)}`;
}

/** A set element, named by its value. */
export function valueElement(value: unknown): PathElement {
  return `v:${canonicalJSON(value)}`;
}

/** The field name of an `f:` element; undefined for other kinds. */
export function fieldNameOf(element: PathElement): string | undefined {
  return element.startsWith('f:') ? element.slice(2) : undefined;
}

/** A path element as a client spelled it in FieldsV1, in canonical form; throws when it is none. */
export function parseElement(raw: string): PathElement {
  const body = raw.slice(2);
  switch (raw.slice(0, 2)) {
    case 'f:':
      return raw;
    case 'k:': {
      const key: unknown = JSON.parse(body);
      if (!isRecord(key)) throw new Error(`the key of ${JSON.stringify(raw)} is not an object`);
      return keyElement(key);
    }
    case 'v:':
      return valueElement(JSON.parse(body));
    case 'i:':
      if (!/^\d+$/.test(body)) throw new Error(`${JSON.stringify(raw)} is not an index`);
      return `i:${Number(body)}`;
    default:
      throw new Error(`unknown path element ${JSON.stringify(raw)}`);
  }
}

/** How conflicts print a path: `.spec.parts[name="bolt"].value`, `.metadata.finalizers[="a"]`. */
export function formatPath(path: FieldPath): string {
  return path.map(formatElement).join('');
}

function formatElement(element: PathElement): string {
  const body = element.slice(2);
  switch (element[0]) {
    case 'f':
      return `.${body}`;
    case 'k': {
      const key = JSON.parse(body) as Record<string, unknown>;
      return `[${Object.entries(key)
        .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
        .join(',')}]`;
    }
    case 'v':
      return `[=${body}]`;
    default:
      return `[${body}]`;
  }
}

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

/** The order FieldsV1 lists elements in: fields, then keys, values and indexes, each sorted. */
export function compareElements(a: PathElement, b: PathElement): number {
  const byKind = KIND_ORDER[a[0]] - KIND_ORDER[b[0]];
  if (byKind !== 0) return byKind;
  const [bodyA, bodyB] = [a.slice(2), b.slice(2)];
  switch (a[0]) {
    case 'f':
      return compareStrings(bodyA, bodyB);
    case 'i':
      return Number(bodyA) - Number(bodyB);
    case 'k':
      return compareKeys(JSON.parse(bodyA) as Record<string, unknown>, JSON.parse(bodyB) as Record<string, unknown>);
    default:
      return compareValues(JSON.parse(bodyA), JSON.parse(bodyB));
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const [fieldsA, fieldsB] = [Object.entries(a), Object.entries(b)];
  for (let i = 0; i < Math.min(fieldsA.length, fieldsB.length); i++) {
    const byName = compareStrings(fieldsA[i][0], fieldsB[i][0]);
    if (byName !== 0) return byName;
    const byValue = compareValues(fieldsA[i][1], fieldsB[i][1]);
    if (byValue !== 0) return byValue;
  }
  return fieldsA.length - fieldsB.length;
}

const TYPE_ORDER = ['number', 'string', 'boolean', 'object'];

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  const byType = TYPE_ORDER.indexOf(typeof a) - TYPE_ORDER.indexOf(typeof b);
  return byType !== 0 ? byType : compareStrings(canonicalJSON(a), canonicalJSON(b));
}
