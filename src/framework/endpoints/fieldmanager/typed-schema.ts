/**
 * How server-side apply reads a structural schema: which values are leaves, which
 * maps and structs merge key by key, which lists merge by key or as sets, and which
 * values are atomic (replaced whole, owned whole).
 */
import type { JSONSchemaProps } from '../../runtime';
import { isRecord } from '../../runtime/json-value';
import { keyElement, valueElement, type PathElement } from './field-path';

/** How one value takes part in apply. */
export type Atom =
  | { kind: 'scalar' }
  | { kind: 'map'; atomic: boolean }
  | { kind: 'list'; type: 'atomic' | 'set' | 'map'; keys: readonly string[] };

/** What no schema describes (preserved unknown fields, any-value fields): objects merge key by key, lists are atomic. */
export const DEDUCED: JSONSchemaProps = { 'x-kubernetes-preserve-unknown-fields': true };

type DeclaredShape = 'map' | 'list' | 'number' | 'string' | 'boolean' | 'scalar' | undefined;

function declaredShape(schema: JSONSchemaProps): DeclaredShape {
  if (schema['x-kubernetes-int-or-string']) return 'scalar';
  switch (schema.type) {
    case 'object':
      return 'map';
    case 'array':
      return 'list';
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
  }
  if (schema.properties || schema.additionalProperties !== undefined) return 'map';
  if (schema.items) return 'list';
  return undefined;
}

/** The atom of a value under its schema; values the schema leaves open are judged by their shape. */
export function atomOf(schema: JSONSchemaProps, value: unknown): Atom {
  const shape = declaredShape(schema) ?? (Array.isArray(value) ? 'list' : isRecord(value) ? 'map' : 'scalar');
  if (shape === 'map') return { kind: 'map', atomic: schema['x-kubernetes-map-type'] === 'atomic' };
  if (shape === 'list') {
    const keys = schema['x-kubernetes-list-map-keys'] ?? [];
    const listType = schema['x-kubernetes-list-type'];
    // A list-map without keys holds its elements as a set.
    if (listType === 'map') return { kind: 'list', type: keys.length > 0 ? 'map' : 'set', keys };
    return { kind: 'list', type: listType === 'set' ? 'set' : 'atomic', keys: [] };
  }
  return { kind: 'scalar' };
}

/** Why a value does not fit its schema, in structured-merge-diff's words; undefined when it does. Null fits anything. */
export function typeMismatch(schema: JSONSchemaProps, value: unknown): string | undefined {
  if (value === null) return undefined;
  const got = () => JSON.stringify(value);
  switch (declaredShape(schema)) {
    case 'map':
      return isRecord(value) ? undefined : `expected map, got ${got()}`;
    case 'list':
      return Array.isArray(value) ? undefined : `expected list, got ${got()}`;
    case 'number':
      return typeof value === 'number' ? undefined : `expected numeric (int or float), got ${Array.isArray(value) ? 'array' : typeof value}`;
    case 'string':
      return typeof value === 'string' ? undefined : `expected string, got ${got()}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected boolean, got ${got()}`;
    case 'scalar':
      return typeof value === 'object' ? `expected any scalar, got ${got()}` : undefined;
    default:
      return undefined;
  }
}

/** The schema of a struct's field or a map's entry; undefined when the schema declares no such field. */
export function memberSchema(schema: JSONSchemaProps, key: string): JSONSchemaProps | undefined {
  if (schema.properties && Object.hasOwn(schema.properties, key)) return schema.properties[key];
  if (isRecord(schema.additionalProperties)) return schema.additionalProperties as JSONSchemaProps;
  if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields'] || !schema.properties) return DEDUCED;
  return undefined;
}

/** A field the struct declares, as opposed to an entry of a map or a preserved unknown field. */
export function isNamedField(schema: JSONSchemaProps, key: string): boolean {
  return Boolean(schema.properties && Object.hasOwn(schema.properties, key));
}

export function itemSchema(schema: JSONSchemaProps): JSONSchemaProps {
  return schema.items ?? DEDUCED;
}

/** The schema of what lies below one path element. */
export function schemaBelow(schema: JSONSchemaProps, element: PathElement): JSONSchemaProps {
  return element.startsWith('f:') ? (memberSchema(schema, element.slice(2)) ?? DEDUCED) : itemSchema(schema);
}

/** An element of a set or list-map that cannot be named; the message is structured-merge-diff's. */
export class ListElementError extends Error {}

/** The path element naming one element of a set or list-map. */
export function listElement(atom: Extract<Atom, { kind: 'list' }>, listSchema: JSONSchemaProps, item: unknown): PathElement {
  if (atom.type === 'map') {
    if (item === null) throw new ListElementError('associative list with keys may not have a null element');
    if (!isRecord(item)) throw new ListElementError('associative list with keys may not have non-map elements');
    const key: Record<string, unknown> = {};
    for (const name of atom.keys) {
      const value = item[name] ?? memberSchema(itemSchema(listSchema), name)?.default;
      if (value !== undefined) key[name] = value;
    }
    if (Object.keys(key).length === 0) {
      throw new ListElementError(
        `associative list with keys has an element that omits all key fields ${JSON.stringify(atom.keys)} (and doesn't have default values for any key fields)`,
      );
    }
    return keyElement(key);
  }
  if (isRecord(item)) throw new ListElementError("associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new ListElementError('not supported: associative list with lists as elements');
  if (item === null) throw new ListElementError("associative list without keys has an element that's an explicit null");
  return valueElement(item);
}
