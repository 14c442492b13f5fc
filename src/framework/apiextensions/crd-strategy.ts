/**
 * How CustomResourceDefinitions behave on create and update (apiextensions'
 * strategy): the status is the server's, the storage version is recorded in
 * status.storedVersions whenever it changes, and the spec is validated.
 */
import type { FieldError } from '../api/status';
import type { RESTStrategy } from '../registry/strategy';
import { isRecord } from '../runtime/json-value';
import type { CustomResourceSchema } from './crd-schema';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate, validateStoredVersions } from './crd-validation';
import { CustomResourceDefinitionStatus, type CustomResourceDefinition } from './types';

function storageVersionOf(crd: CustomResourceDefinition): string | undefined {
  return crd.spec?.versions?.find((v) => v.storage)?.name;
}

/** status.storedVersions with the current storage version added (once). */
function recordStorageVersion(crd: CustomResourceDefinition, status: CustomResourceDefinitionStatus | undefined): CustomResourceDefinitionStatus {
  const next = Object.assign(new CustomResourceDefinitionStatus(), status);
  const storage = storageVersionOf(crd);
  const stored = [...(status?.storedVersions ?? [])];
  if (storage && !stored.includes(storage)) stored.push(storage);
  next.storedVersions = stored;
  return next;
}

/** CEL rules are kept in the schema but not evaluated here; say so instead of pretending. */
function celWarnings(crd: CustomResourceDefinition): string[] {
  const withRules = (crd.spec?.versions ?? []).filter((v) => hasValidationRules(v.schema?.openAPIV3Schema as CustomResourceSchema | undefined));
  return withRules.map((v) => `spec.versions[${v.name}].schema.openAPIV3Schema: x-kubernetes-validations rules are not evaluated by this server`);
}

function hasValidationRules(schema: CustomResourceSchema | undefined): boolean {
  if (!isRecord(schema)) return false;
  if (schema['x-kubernetes-validations'] !== undefined) return true;
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(isRecord(schema.additionalProperties) ? [schema.additionalProperties as CustomResourceSchema] : []),
    ...(schema.items ? [schema.items] : []),
  ];
  return children.some(hasValidationRules);
}

export const customResourceDefinitionStrategy: RESTStrategy<CustomResourceDefinition> = {
  prepareForCreate(_ctx, crd) {
    crd.status = recordStorageVersion(crd, undefined);
  },
  validate(_ctx, crd): FieldError[] {
    return validateCustomResourceDefinition(crd);
  },
  warningsOnCreate: (_ctx, crd) => celWarnings(crd),
  prepareForUpdate(_ctx, crd) {
    crd.status = recordStorageVersion(crd, crd.status);
  },
  validateUpdate(_ctx, crd, old): FieldError[] {
    return validateCustomResourceDefinitionUpdate(crd, old);
  },
  warningsOnUpdate: (_ctx, crd) => celWarnings(crd),
  validateStatusUpdate(_ctx, crd): FieldError[] {
    return validateStoredVersions(crd);
  },
};
