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
function canonicalJSON(value: unknown): string {
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

/** An element with its parts read once, for sorting. */
interface SortKey {
  element: PathElement;
  kind: number;
  body: string;
  /** The key fields of `k:`, the value of `v:`, the index of `i:`. */
  parsed?: unknown;
}

function sortKey(element: PathElement): SortKey {
  const body = element.slice(2);
  const kind = KIND_ORDER[element[0]];
  if (element[0] === 'f') return { element, kind, body };
  if (element[0] === 'i') return { element, kind, body, parsed: Number(body) };
  return { element, kind, body, parsed: element[0] === 'k' ? Object.entries(JSON.parse(body) as object) : JSON.parse(body) };
}

/** Elements in the order FieldsV1 lists them: fields, then keys, values and indexes, each sorted. */
export function sortElements(elements: Iterable<PathElement>): PathElement[] {
  const all = [...elements];
  // Mostly field names: those sort as plain strings.
  if (all.every((e) => e.startsWith('f:'))) return all.sort(compareStrings);
  return all
    .map(sortKey)
    .sort(compareSortKeys)
    .map((k) => k.element);
}

function compareSortKeys(a: SortKey, b: SortKey): number {
  if (a.kind !== b.kind) return a.kind - b.kind;
  switch (a.kind) {
    case KIND_ORDER.f:
      return compareStrings(a.body, b.body);
    case KIND_ORDER.k:
      return compareKeys(a.parsed as [string, unknown][], b.parsed as [string, unknown][]);
    default:
      return compareValues(a.parsed, b.parsed);
  }
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareKeys(a: [string, unknown][], b: [string, unknown][]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const byName = compareStrings(a[i][0], b[i][0]);
    if (byName !== 0) return byName;
    const byValue = compareValues(a[i][1], b[i][1]);
    if (byValue !== 0) return byValue;
  }
  return a.length - b.length;
}

const TYPE_ORDER = ['number', 'string', 'boolean', 'object'];

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  const byType = TYPE_ORDER.indexOf(typeof a) - TYPE_ORDER.indexOf(typeof b);
  return byType !== 0 ? byType : compareStrings(canonicalJSON(a), canonicalJSON(b));
}
