/**
 * The fields a value sets, under its schema: every leaf, every element of a set or
 * list-map, every map entry, and every atomic value as a whole. Structs and granular
 * maps are not members themselves unless empty or null (then they are the leaf).
 */
import type { JSONSchemaProps } from '../../runtime';
import { isRecord } from '../../runtime/json-value';
import { fieldElement, formatPath, type PathElement } from './field-path';
import { FieldSet } from './field-set';
import { atomOf, DEDUCED, isNamedField, itemSchema, ListElementError, listElement, memberSchema, schemaBelow, typeMismatch, type Atom } from './typed-schema';

/** A value that does not fit its schema; the message lists every problem, each with its path. */
export class TypedValueError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.length === 1 ? problems[0] : ['errors:', ...problems.map((p) => `  ${p}`)].join('\n'));
    this.name = 'TypedValueError';
  }
}

class FieldSetWalker {
  readonly set = new FieldSet();
  readonly problems: string[] = [];

  /** Strict: report undeclared fields, type mismatches and duplicate keys instead of passing over them. */
  constructor(private readonly strict: boolean) {}

  visit(value: unknown, schema: JSONSchemaProps, path: PathElement[]): void {
    const mismatch = typeMismatch(schema, value);
    if (mismatch) {
      if (this.strict) this.problems.push(`${formatPath(path)}: ${mismatch}`);
      else this.set.insert(path);
      return;
    }
    const atom = atomOf(schema, value);
    if (atom.kind === 'scalar' || (atom.kind === 'list' && atom.type === 'atomic') || (atom.kind === 'map' && atom.atomic)) {
      this.set.insert(path);
    } else if (atom.kind === 'list') {
      if (Array.isArray(value)) this.visitList(value, atom, schema, path);
    } else if (isRecord(value)) {
      this.visitMap(value, schema, path);
    }
  }

  private visitMap(value: Record<string, unknown>, schema: JSONSchemaProps, path: PathElement[]): void {
    for (const [key, child] of Object.entries(value)) {
      if (child === undefined) continue;
      const childPath = [...path, fieldElement(key)];
      let childSchema = memberSchema(schema, key);
      if (!childSchema) {
        if (this.strict) {
          this.problems.push(`${formatPath(childPath)}: field not declared in schema`);
          continue;
        }
        childSchema = DEDUCED;
      }
      this.visit(child, childSchema, childPath);
      const emptyMap = isRecord(child) && Object.keys(child).length === 0;
      if (child === null || emptyMap || !isNamedField(schema, key)) this.set.insert(childPath);
    }
  }

  private visitList(items: unknown[], atom: Extract<Atom, { kind: 'list' }>, schema: JSONSchemaProps, path: PathElement[]): void {
    const elements: (PathElement | undefined)[] = items.map((item, i) => {
      try {
        return listElement(atom, schema, item);
      } catch (err) {
        if (!(err instanceof ListElementError)) throw err;
        if (this.strict) this.problems.push(`${formatPath(path)}: element ${i}: ${err.message}`);
        return undefined;
      }
    });
    const counts = new Map<PathElement, number>();
    for (const element of elements) if (element) counts.set(element, (counts.get(element) ?? 0) + 1);
    const elementSchema = itemSchema(schema);
    const reported = new Set<PathElement>();
    elements.forEach((element, i) => {
      if (!element) return;
      const elementPath = [...path, element];
      if ((counts.get(element) ?? 0) > 1) {
        // Duplicates are owned as one element, never field by field.
        if (this.strict && !reported.has(element)) this.problems.push(`${formatPath(path)}: duplicate entries for key ${formatPath([element])}`);
        reported.add(element);
        this.set.insert(elementPath);
        return;
      }
      this.visit(items[i], elementSchema, elementPath);
      this.set.insert(elementPath);
    });
  }
}

/** The fields of a stored object; parts that do not fit the schema are owned whole. */
export function fieldSetOf(value: unknown, schema: JSONSchemaProps): FieldSet {
  const walker = new FieldSetWalker(false);
  walker.visit(value, schema, []);
  return walker.set;
}

/** The fields of an apply configuration, which must fit the schema exactly; throws TypedValueError otherwise. */
export function validatedFieldSetOf(value: unknown, schema: JSONSchemaProps): FieldSet {
  const walker = new FieldSetWalker(true);
  walker.visit(value, schema, []);
  if (walker.problems.length > 0) throw new TypedValueError(walker.problems);
  return walker.set;
}

/**
 * The set plus every struct field its paths pass through, so that removing such a
 * field removes the struct with it (a map an entry passes through is not added).
 */
export function withNamedFieldsAsMembers(set: FieldSet, schema: JSONSchemaProps): FieldSet {
  const children = set.childEntries();
  const named = children.map(([element]) => element).filter((e) => e.startsWith('f:') && isNamedField(schema, e.slice(2)));
  return FieldSet.fromNode(
    [...set.memberElements(), ...named],
    children.map(([element, child]) => [element, withNamedFieldsAsMembers(child, schemaBelow(schema, element))]),
  );
}
