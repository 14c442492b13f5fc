/**
 * Label and field selectors as a storage predicate. Every resource can be selected
 * by metadata.name and metadata.namespace; a strategy may add more fields.
 */
import type { FieldSelector, LabelSelector } from '../api';
import { newBadRequest } from '../api/status';
import type { SelectionPredicate, StoredObject } from '../storage/interface';

type FieldReader = (obj: StoredObject) => string | undefined;

const BASE_FIELDS: Record<string, FieldReader> = {
  'metadata.name': (obj) => obj.metadata.name,
  'metadata.namespace': (obj) => obj.metadata.namespace,
};

/** Undefined when nothing is selected (every object matches). Unknown fields are a 400. */
export function selectionPredicate(
  query: { labelSelector?: LabelSelector; fieldSelector?: FieldSelector },
  extraFields: Record<string, FieldReader> = {},
): SelectionPredicate | undefined {
  const labels = query.labelSelector && !query.labelSelector.empty ? query.labelSelector : undefined;
  const fields = query.fieldSelector && !query.fieldSelector.empty ? query.fieldSelector : undefined;
  if (!labels && !fields) return undefined;
  const readers = { ...BASE_FIELDS, ...extraFields };
  const used = fields ? [...new Set(fields.requirements.map((r) => r.field))] : [];
  for (const field of used) {
    if (!readers[field]) {
      // kube-apiserver's words, for typed and custom resources alike.
      throw newBadRequest(`field label not supported: ${field}`);
    }
  }
  return (obj) => {
    if (labels && !labels.matches(obj.metadata.labels as Record<string, string> | undefined)) return false;
    if (!fields) return true;
    const values: Record<string, string> = {};
    for (const field of used) values[field] = readers[field](obj) ?? '';
    return fields.matches(values);
  };
}
