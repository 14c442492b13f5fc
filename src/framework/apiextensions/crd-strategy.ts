/**
 * How CustomResourceDefinitions behave on create and update (apiextensions'
 * strategy): the status is the server's, the storage version is recorded in
 * status.storedVersions whenever it changes, and the spec is validated.
 */
import type { FieldError } from '../api/status';
import type { RESTStrategy } from '../registry/strategy';
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

export const customResourceDefinitionStrategy: RESTStrategy<CustomResourceDefinition> = {
  prepareForCreate(_ctx, crd) {
    crd.status = recordStorageVersion(crd, undefined);
  },
  validate(_ctx, crd): FieldError[] {
    return validateCustomResourceDefinition(crd);
  },
  prepareForUpdate(_ctx, crd) {
    crd.status = recordStorageVersion(crd, crd.status);
  },
  validateUpdate(_ctx, crd, old): FieldError[] {
    return validateCustomResourceDefinitionUpdate(crd, old);
  },
  validateStatusUpdate(_ctx, crd): FieldError[] {
    return validateStoredVersions(crd);
  },
};
