/**
 * What a write changes, field by field: the paths it adds, removes and modifies,
 * walked along the schema so that list-map elements are matched by key and atomic
 * values compare whole. A struct or map that appears or disappears is itself added
 * or removed, besides its fields.
 */
import type { JSONSchemaProps } from '../../runtime';
import { isRecord } from '../../runtime/json-value';
import { deepEqualJSON } from '../../registry/deep-equal';
import { fieldElement, type PathElement } from './field-path';
import { FieldSet } from './field-set';
import { atomOf, DEDUCED, itemSchema, ListElementError, listElement, memberSchema, type Atom } from './typed-schema';

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** The shape of a JSON value, to tell a value replaced by one of another kind. */
function shapeOf(value: unknown): 'map' | 'list' | 'scalar' {
  return Array.isArray(value) ? 'list' : isRecord(value) ? 'map' : 'scalar';
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return Array.isArray(value) ? value.length === 0 : isRecord(value) && Object.keys(value).length === 0;
}

class CompareWalker {
  readonly added = new FieldSet();
  readonly removed = new FieldSet();
  readonly modified = new FieldSet();

  /** `lhs` or `rhs` is undefined where the value is absent on that side. */
  visit(lhs: unknown, rhs: unknown, schema: JSONSchemaProps, path: PathElement[]): void {
    const atom = atomOf(schema, rhs !== undefined ? rhs : lhs);
    const reshaped = lhs !== undefined && rhs !== undefined && lhs !== null && rhs !== null && shapeOf(lhs) !== shapeOf(rhs);
    const leaf =
      reshaped ||
      atom.kind === 'scalar' ||
      (atom.kind === 'map' && atom.atomic) ||
      (atom.kind === 'list' && atom.type === 'atomic') ||
      (isEmpty(lhs) && isEmpty(rhs));
    if (leaf) {
      this.leaf(lhs, rhs, path);
      return;
    }
    if (atom.kind === 'list') this.visitList(lhs, rhs, atom, schema, path);
    else this.visitMap(lhs, rhs, schema, path);
    if (lhs === undefined) this.added.insert(path);
    else if (rhs === undefined) this.removed.insert(path);
  }

  private leaf(lhs: unknown, rhs: unknown, path: PathElement[]): void {
    if (lhs === undefined) this.added.insert(path);
    else if (rhs === undefined) this.removed.insert(path);
    else if (!deepEqualJSON(lhs, rhs)) this.modified.insert(path);
  }

  private visitMap(lhs: unknown, rhs: unknown, schema: JSONSchemaProps, path: PathElement[]): void {
    const left = isRecord(lhs) ? lhs : {};
    const right = isRecord(rhs) ? rhs : {};
    for (const key of Object.keys(right)) this.visitMember(left[key], right[key], schema, key, path);
    for (const key of Object.keys(left)) if (!Object.hasOwn(right, key)) this.visitMember(left[key], undefined, schema, key, path);
  }

  /** Visits one member of a map, on the path extended in place (the sets copy what they keep). */
  private visitMember(lhs: unknown, rhs: unknown, schema: JSONSchemaProps, key: string, path: PathElement[]): void {
    if (lhs === undefined && rhs === undefined) return;
    path.push(fieldElement(key));
    this.visit(lhs, rhs, memberSchema(schema, key) ?? DEDUCED, path);
    path.pop();
  }

  private visitList(lhs: unknown, rhs: unknown, atom: Extract<Atom, { kind: 'list' }>, schema: JSONSchemaProps, path: PathElement[]): void {
    const left = groupByElement(lhs, atom, schema);
    const right = groupByElement(rhs, atom, schema);
    const elementSchema = itemSchema(schema);
    for (const element of new Set([...left.keys(), ...right.keys()])) {
      const [before, after] = [left.get(element) ?? [], right.get(element) ?? []];
      const elementPath = [...path, element];
      if (before.length <= 1 && after.length <= 1) {
        this.visit(before[0], after[0], elementSchema, elementPath);
      } else if (before.length > 1 && after.length > 1) {
        // Duplicates on both sides compare as one atomic value.
        if (!deepEqualJSON(before, after)) this.modified.insert(elementPath);
      } else if (before.length > 1) {
        if (after.length === 1) this.visit(undefined, after[0], elementSchema, elementPath);
        this.removed.insert(elementPath);
      } else {
        if (before.length === 1) this.visit(before[0], undefined, elementSchema, elementPath);
        this.added.insert(elementPath);
      }
    }
  }
}

/** The elements of a list by the path element that names them; elements that cannot be named are left out. */
function groupByElement(list: unknown, atom: Extract<Atom, { kind: 'list' }>, schema: JSONSchemaProps): Map<PathElement, unknown[]> {
  const groups = new Map<PathElement, unknown[]>();
  if (!Array.isArray(list)) return groups;
  for (const item of list) {
    let element: PathElement;
    try {
      element = listElement(atom, schema, item);
    } catch (err) {
      if (err instanceof ListElementError) continue;
      throw err;
    }
    const group = groups.get(element);
    if (group) group.push(item);
    else groups.set(element, [item]);
  }
  return groups;
}

/** How `rhs` differs from `lhs`. */
export function compareValues(lhs: unknown, rhs: unknown, schema: JSONSchemaProps): Comparison {
  const walker = new CompareWalker();
  walker.visit(lhs, rhs, schema, []);
  return { added: walker.added, removed: walker.removed, modified: walker.modified };
}
