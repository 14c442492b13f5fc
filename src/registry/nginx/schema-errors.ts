/**
 * Checks a spec or status against the schema its @Field declarations publish
 * (types, required fields, enums, ranges, patterns), so that each constraint is
 * declared once and enforced the same way kube-apiserver enforces a CRD's schema.
 */
import { validateAgainstSchema, type FieldError, type KubeObject, type Scheme } from '../../index';

export function schemaErrors(scheme: Scheme, obj: KubeObject, part: 'spec' | 'status'): FieldError[] {
  const schema = scheme.schemaFor(obj.constructor as new () => KubeObject).properties?.[part];
  const value = scheme.toPlain(obj)[part];
  if (!schema || value === undefined) return [];
  return validateAgainstSchema(value, schema, part);
}
