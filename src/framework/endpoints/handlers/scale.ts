/**
 * GET, PUT and PATCH of the scale subresource: the object seen as an
 * autoscaling/v1 Scale. Writes change only the desired replicas, inside the
 * Store's compare-and-swap loop; a Scale with a resourceVersion is a conditional write.
 */
import { newBadRequest, newNotFound, newUnsupportedMediaType } from '../../api/status';
import { Scale, SCALE_GVK } from '../../api/autoscaling';
import type { KubeObject, ResourceInfo, ScaleSubresource } from '../../runtime';
import { readBody } from '../body';
import { decodeJSONValue, decodeRequestObject } from '../decode';
import { mediaTypeOf, negotiateResponse } from '../negotiation';
import { parseWriteOptions } from '../query-options';
import { setWarnings, writeBody } from '../response';
import { scaleOf, validateScale, withScale } from '../scale';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';
import type { RequestContext } from '../../registry/context';
import { COMPUTED_MANAGED_FIELDS, managerOf, scaleFieldsFor, servedPlain, type ScaleFields } from '../fieldmanager';
import type { ManagedFieldsEntry } from '../../api/meta';
import { APPLY_PATCH, checkDuplicateFields, parseApplyConfiguration, parsePatchBody, patchFunction, patchTypesOf } from './patch';

type Plain = Record<string, unknown>;

/**
 * The patch types the scale of a resource takes: all of them, apply included, as the
 * resource itself takes them (kube-apiserver takes no strategic merge patch on the
 * scale of a custom resource either).
 */
export const scalePatchTypesOf: (resource: ResourceInfo) => string[] = patchTypesOf;

function scalePaths(scope: RequestScope): ScaleSubresource {
  const paths = scope.resource.subresources.scale;
  if (!paths) throw new Error(`${scope.resource.plural} declares no scale subresource`);
  return paths;
}

export async function getScale(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const format = negotiateResponse(ctx.get('accept'));
  const stored = await scope.store.get(requestContextOf(ctx, scope), resourceRequestInfo(ctx).name, {
    resourceVersion: queryOf(ctx).get('resourceVersion') || undefined,
  });
  writeBody(ctx, 200, scaleOf(toServedVersion(scope, stored), scalePaths(scope)), format.encoding);
}

/** The next Scale of an object and the object's managedFields after it; `live` is its Scale with the managers of its replicas. */
type ScaleWrite = (obj: Plain, live: Plain, fields: ScaleFields) => { scale: Plain; managedFields: ManagedFieldsEntry[] | undefined };

/** A PUT or non-apply PATCH: `next` makes the Scale, and `manager` takes the replicas when it changes them (an Update). */
function updateWrite(manager: string, next: (live: Plain) => Plain): ScaleWrite {
  return (obj, live, fields) => {
    const scale = next(live);
    return { scale, managedFields: fields.afterUpdate(obj, live, scale, manager) };
  };
}

/** Writes the Scale a request makes of the current one; answers with the Scale of the stored result. */
async function writeScale(ctx: ApiContext, scope: RequestScope, rctx: RequestContext, write: ScaleWrite): Promise<void> {
  const format = negotiateResponse(ctx.get('accept'));
  const paths = scalePaths(scope);
  const fields = scaleFieldsFor(scope, paths);
  const { scheme, resource } = scope;
  const name = resourceRequestInfo(ctx).name;
  const result = await scope.store.update(rctx, name, {
    subresource: 'scale',
    managedFields: COMPUTED_MANAGED_FIELDS,
    objInfo: (current: KubeObject | null) => {
      if (!current) throw newNotFound(scope.store.groupResource, name);
      const served = servedPlain(scope, current);
      const { scale, managedFields } = write(served, fields.liveScale(served), fields);
      validateScale(scale);
      const next = withScale(served, scale, paths);
      (next.metadata as Plain).managedFields = managedFields;
      return scheme.convert(scheme.fromPlain(next, resource.gvk), resource.hubGVK);
    },
  });
  setWarnings(ctx, rctx.warnings);
  writeBody(ctx, 200, scaleOf(toServedVersion(scope, result.object), paths), format.encoding);
}

export async function updateScale(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const options = parseWriteOptions(queryOf(ctx), 'UpdateOptions');
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const body = scope.scheme.toPlain(await decodeRequestObject(ctx, scope, options.fieldValidation, rctx, SCALE_GVK));
  const name = resourceRequestInfo(ctx).name;
  const bodyName = (body.metadata as Plain | undefined)?.name;
  if (!bodyName) throw newBadRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  if (bodyName !== name) throw newBadRequest(`the name of the object (${String(bodyName)}) does not match the name on the URL (${name})`);
  await writeScale(ctx, scope, rctx, updateWrite(managerOf(options.fieldManager, ctx.get('user-agent')), () => body));
}

export async function patchScale(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const contentType = mediaTypeOf(ctx.get('content-type'));
  const patchTypes = scalePatchTypesOf(scope.resource);
  if (!patchTypes.includes(contentType)) throw newUnsupportedMediaType(patchTypes);
  const options = parseWriteOptions(queryOf(ctx), 'PatchOptions', contentType === APPLY_PATCH);
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const raw = await readBody(ctx.req, scope.maxRequestBodyBytes);
  if (contentType === APPLY_PATCH) {
    const applied = parseApplyConfiguration(raw);
    await writeScale(ctx, scope, rctx, (obj, live, fields) => {
      const result = fields.apply(obj, live, applied.config, options.fieldManager as string, options.force ?? false);
      const scale = scope.scheme.toPlain(decodeJSONValue(result.scale, scope, options.fieldValidation, rctx, SCALE_GVK));
      checkDuplicateFields(applied.duplicateFields, options, rctx);
      return { scale, managedFields: result.managedFields };
    });
    return;
  }
  const patch = patchFunction(contentType, parsePatchBody(raw), () => scope.scheme.schemaFor(Scale));
  const manager = managerOf(options.fieldManager, ctx.get('user-agent'));
  await writeScale(
    ctx,
    scope,
    rctx,
    updateWrite(manager, (live) => scope.scheme.toPlain(decodeJSONValue(patch(live), scope, options.fieldValidation, rctx, SCALE_GVK))),
  );
}
