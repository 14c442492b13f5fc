/**
 * managedFields of writes through the scale subresource of the resource version a
 * request scope serves: tracked on the autoscaling/v1 Scale by a field manager of
 * its own, under the subresource `scale`, and carried back to the object.
 */
import { apiVersionOf, parseApiVersion, type ManagedFieldsEntry } from '../../api/meta';
import { Scale, SCALE_GVK } from '../../api/autoscaling';
import { StatusError } from '../../api/status';
import { isRecord } from '../../runtime/json-value';
import type { ResourceInfo, ScaleSubresource, Scheme } from '../../runtime';
import { scaleOf } from '../scale';
import type { RequestScope } from '../scope';
import { FieldManager, managedFieldsOf } from './field-manager';
import type { FieldPath } from './field-path';
import { replicasFieldPath, SCALE_API_VERSION, ScaleHandler } from './scale-handler';
import type { PlainObject, ResourceVersions } from './updater';

function withManagedFields(obj: PlainObject, managedFields: ManagedFieldsEntry[] | undefined): PlainObject {
  const metadata = { ...(isRecord(obj.metadata) ? obj.metadata : {}), managedFields };
  if (!managedFields) delete metadata.managedFields;
  return { ...obj, metadata };
}

/** The one version of Scale. */
function scaleVersions(scheme: Scheme): ResourceVersions {
  const schema = scheme.schemaFor(Scale);
  return {
    schema: (apiVersion) => (apiVersion === SCALE_API_VERSION ? schema : undefined),
    convert: (obj, apiVersion) => (apiVersion === SCALE_API_VERSION ? obj : undefined),
  };
}

/** Where each version of a kind keeps its desired replicas, as the scheme knows it. */
function replicasPaths(scheme: Scheme, kind: string): (apiVersion: string) => FieldPath | undefined {
  const paths = new Map<string, FieldPath | undefined>();
  return (apiVersion) => {
    if (!paths.has(apiVersion)) {
      const scale = scheme.resourceInfoForKind({ ...parseApiVersion(apiVersion), kind })?.subresources.scale;
      paths.set(apiVersion, scale && replicasFieldPath(scale.specReplicasPath));
    }
    return paths.get(apiVersion);
  };
}

export interface AppliedScale {
  /** The Scale after the apply. */
  scale: PlainObject;
  /** The object's managedFields after it. */
  managedFields: ManagedFieldsEntry[] | undefined;
}

/** What writes through /scale of one served resource version record in managedFields. */
export class ScaleFields {
  private readonly fieldManager: FieldManager;
  private readonly handler: ScaleHandler;

  constructor(
    scheme: Scheme,
    resource: ResourceInfo,
    private readonly paths: ScaleSubresource,
  ) {
    this.fieldManager = new FieldManager({ versions: scaleVersions(scheme), kind: SCALE_GVK, subresource: 'scale', hasStatusSubresource: false });
    this.handler = new ScaleHandler(apiVersionOf(resource.gvk), replicasPaths(scheme, resource.gvk.kind));
  }

  /**
   * The Scale of `obj` (in the served version) with the managers of its replicas as
   * managedFields, as writes through /scale start from. Throws StatusError 500 when the
   * object's managedFields do not decode.
   */
  liveScale(obj: PlainObject): PlainObject {
    let managedFields: ManagedFieldsEntry[] | undefined;
    try {
      managedFields = this.handler.toSubresource(managedFieldsOf(obj));
    } catch (err) {
      throw new StatusError({ code: 500, reason: '', message: `failed to decode managed fields: ${(err as Error).message}` });
    }
    return withManagedFields(scaleOf(obj, this.paths), managedFields);
  }

  /**
   * The managedFields of `obj` after a PUT or non-apply PATCH of its Scale by `manager`
   * turned `liveScale` into `nextScale` (an Update). An object without managedFields
   * stays untracked.
   */
  afterUpdate(obj: PlainObject, liveScale: PlainObject, nextScale: PlainObject, manager: string): ManagedFieldsEntry[] | undefined {
    const parentEntries = managedFieldsOf(obj);
    if (!parentEntries?.length) return undefined;
    return this.handler.toParent(parentEntries, this.fieldManager.update(liveScale, nextScale, manager));
  }

  /** Server-side apply of a Scale `config` to `liveScale`; throws StatusError as FieldManager.apply does. */
  apply(obj: PlainObject, liveScale: PlainObject, config: PlainObject, manager: string, force: boolean): AppliedScale {
    const scale = this.fieldManager.apply(liveScale, config, manager, force);
    return { scale, managedFields: this.handler.toParent(managedFieldsOf(obj), managedFieldsOf(scale)) };
  }
}

const scaleFields = new WeakMap<RequestScope, ScaleFields>();

/** One ScaleFields per scope of a resource with a scale subresource, made on first use. */
export function scaleFieldsFor(scope: RequestScope, paths: ScaleSubresource): ScaleFields {
  let fields = scaleFields.get(scope);
  if (!fields) {
    fields = new ScaleFields(scope.scheme, scope.resource, paths);
    scaleFields.set(scope, fields);
  }
  return fields;
}
