/**
 * A value without the fields of a set: map entries, struct fields and list elements
 * named by a path of the set go away; paths that go deeper are followed. A map or
 * list emptied this way disappears from its parent; a struct whose fields were all
 * removed one by one stays, empty.
 */
import type { JSONSchemaProps } from '../../runtime';
import { isRecord } from '../../runtime/json-value';
import { fieldElement } from './field-path';
import type { FieldSet } from './field-set';
import { atomOf, DEDUCED, itemSchema, ListElementError, listElement, memberSchema } from './typed-schema';

/** Undefined when nothing of the value remains. */
export function removeItems(value: unknown, set: FieldSet, schema: JSONSchemaProps): unknown {
  const atom = atomOf(schema, value);
  if (atom.kind === 'scalar') return value;
  if (atom.kind === 'map') {
    if (!isRecord(value) || Object.keys(value).length === 0 || atom.atomic) return undefined;
    const out: Record<string, unknown> = {};
    let kept = 0;
    for (const [key, child] of Object.entries(value)) {
      const element = fieldElement(key);
      if (set.hasMember(element)) continue;
      kept++;
      const below = set.child(element);
      const remaining = below.isEmpty() ? child : removeItems(child, below, memberSchema(schema, key) ?? DEDUCED);
      if (remaining !== undefined) out[key] = remaining;
    }
    return kept > 0 ? out : undefined;
  }
  if (!Array.isArray(value) || value.length === 0 || atom.type === 'atomic') return undefined;
  const out: unknown[] = [];
  for (const item of value) {
    let element: string;
    try {
      element = listElement(atom, schema, item);
    } catch (err) {
      if (!(err instanceof ListElementError)) throw err;
      out.push(item);
      continue;
    }
    if (set.hasMember(element)) continue;
    const below = set.child(element);
    const remaining = below.isEmpty() ? item : removeItems(item, below, itemSchema(schema));
    if (remaining !== undefined) out.push(remaining);
  }
  return out.length > 0 ? out : undefined;
}
