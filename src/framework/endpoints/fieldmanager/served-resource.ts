/**
 * The field manager of the resource version (and subresource) a request scope
 * serves, and what the handlers hand the Store with it: the managedFields hook of
 * a write, and the manager a request writes as.
 */
import { parseApiVersion, type KubeObject } from '../../api/meta';
import type { JSONSchemaProps, Scheme } from '../../runtime';
import type { ManagedFieldsTracker } from '../../registry/store';
import type { RequestScope } from '../scope';
import { FieldManager } from './field-manager';
import type { PlainObject, ResourceVersions } from './updater';

/** The versions of a kind as a Scheme serves them. */
export function schemeVersions(scheme: Scheme, kind: string): ResourceVersions {
  const schemas = new Map<string, JSONSchemaProps | undefined>();
  const resourceOf = (apiVersion: string) => scheme.resourceInfoForKind({ ...parseApiVersion(apiVersion), kind });
  return {
    schema(apiVersion) {
      if (!schemas.has(apiVersion)) {
        const info = resourceOf(apiVersion);
        schemas.set(apiVersion, info && scheme.schemaFor(info.type));
      }
      return schemas.get(apiVersion);
    },
    convert(obj, apiVersion) {
      if (obj.apiVersion === apiVersion) return obj;
      const info = resourceOf(apiVersion);
      return info && scheme.convertPlain(obj, info.gvk);
    },
  };
}

const fieldManagers = new WeakMap<RequestScope, FieldManager>();

/** One FieldManager per scope, made on first use. */
export function fieldManagerFor(scope: RequestScope): FieldManager {
  let fieldManager = fieldManagers.get(scope);
  if (!fieldManager) {
    fieldManager = new FieldManager({
      versions: schemeVersions(scope.scheme, scope.resource.gvk.kind),
      kind: scope.resource.gvk,
      subresource: scope.subresource,
      hasStatusSubresource: scope.resource.subresources.status,
    });
    fieldManagers.set(scope, fieldManager);
  }
  return fieldManager;
}

/** An internal object as plain JSON in the version the scope serves. */
export function servedPlain(scope: RequestScope, obj: KubeObject): PlainObject {
  return scope.scheme.toPlainAs(obj, scope.resource.gvk);
}

/** Records a create, update or non-apply patch by `manager` as an Update in managedFields. */
export function updateTracker(scope: RequestScope, manager: string): ManagedFieldsTracker<KubeObject> {
  const fieldManager = fieldManagerFor(scope);
  return {
    track(live, obj) {
      obj.metadata.managedFields = fieldManager.update(live && servedPlain(scope, live), servedPlain(scope, obj), manager);
      return obj;
    },
  };
}

/** Writes that compute managedFields themselves (apply, writes through /scale): they are written as they are. */
export const COMPUTED_MANAGED_FIELDS: ManagedFieldsTracker<KubeObject> = { track: (_live, obj) => obj };

const FIELD_MANAGER_MAX_BYTES = 128;
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** The manager of a write: the fieldManager parameter, else the User-Agent up to its first `/` (printable, at most 128 bytes). */
export function managerOf(fieldManager: string | undefined, userAgent: string | undefined): string {
  if (fieldManager) return fieldManager;
  let manager = '';
  for (const char of (userAgent ?? '').split('/')[0]) {
    if (!PRINTABLE.test(char)) continue;
    if (Buffer.byteLength(manager + char) > FIELD_MANAGER_MAX_BYTES) break;
    manager += char;
  }
  return manager;
}
