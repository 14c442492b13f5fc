/** The ObjectMeta rules every resource shares (apimachinery's ValidateObjectMeta). */
import { isDNS1123Label, isDNS1123Subdomain, validateAnnotations, validateLabels, validateQualifiedName } from '../api';
import type { FieldError } from '../api/status';

interface MetaLike {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string }[];
}

export interface MetaValidationOptions {
  namespaced: boolean;
  validateName?: (name: string) => string[];
}

export function validateObjectMeta(meta: MetaLike, opts: MetaValidationOptions): FieldError[] {
  const errors: FieldError[] = [];
  const validateName = opts.validateName ?? isDNS1123Subdomain;
  if (!meta.name) {
    errors.push({ type: 'FieldValueRequired', field: 'metadata.name', detail: 'name or generateName is required' });
  } else {
    for (const msg of validateName(meta.name)) errors.push({ type: 'FieldValueInvalid', field: 'metadata.name', value: meta.name, detail: msg });
  }
  if (opts.namespaced) {
    if (!meta.namespace) errors.push({ type: 'FieldValueRequired', field: 'metadata.namespace' });
    else for (const msg of isDNS1123Label(meta.namespace)) errors.push({ type: 'FieldValueInvalid', field: 'metadata.namespace', value: meta.namespace, detail: msg });
  } else if (meta.namespace) {
    errors.push({ type: 'FieldValueForbidden', field: 'metadata.namespace', detail: 'not allowed on this type' });
  }
  errors.push(...validateLabels(meta.labels, 'metadata.labels'));
  errors.push(...validateAnnotations(meta.annotations, 'metadata.annotations'));
  (meta.finalizers ?? []).forEach((finalizer, i) => errors.push(...validateQualifiedName(finalizer, `metadata.finalizers[${i}]`)));
  (meta.ownerReferences ?? []).forEach((ref, i) => {
    for (const field of ['apiVersion', 'kind', 'name', 'uid'] as const) {
      if (!ref[field]) errors.push({ type: 'FieldValueRequired', field: `metadata.ownerReferences[${i}].${field}` });
    }
  });
  return errors;
}

interface DeletingMeta {
  deletionTimestamp?: string;
  finalizers?: string[];
}

/** Rules that compare the new metadata with the stored one. */
export function validateMetadataUpdate(meta: DeletingMeta, old: DeletingMeta): FieldError[] {
  if (!old.deletionTimestamp) return [];
  const before = new Set(old.finalizers ?? []);
  const added = (meta.finalizers ?? []).filter((f) => !before.has(f));
  if (added.length === 0) return [];
  return [
    {
      type: 'FieldValueForbidden',
      field: 'metadata.finalizers',
      detail: `no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
    },
  ];
}
