/**
 * GET, PUT and PATCH of the scale subresource: the object seen as an
 * autoscaling/v1 Scale. Writes change only the desired replicas, inside the
 * Store's compare-and-swap loop; a Scale with a resourceVersion is a conditional write.
 */
import { newBadRequest, newNotFound, newUnsupportedMediaType } from '../../api/status';
import { Scale, SCALE_GVK } from '../../api/autoscaling';
import type { KubeObject, ScaleSubresource } from '../../runtime';
import { readBody } from '../body';
import { decodeJSONValue, decodeRequestObject } from '../decode';
import { mediaTypeOf, negotiateResponse } from '../negotiation';
import { parseWriteOptions } from '../query-options';
import { setWarnings, writeBody } from '../response';
import { scaleOf, validateScale, withScale } from '../scale';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';
import type { RequestContext } from '../../registry/context';
import { parsePatchBody, patchFunction } from './patch';

type Plain = Record<string, unknown>;

/** Scale is a built-in kind: JSON, merge and strategic merge patches apply to it. */
export const SCALE_PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

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

/** Writes the Scale that `next` makes of the current one; answers with the Scale of the stored result. */
async function writeScale(ctx: ApiContext, scope: RequestScope, rctx: RequestContext, next: (current: Plain) => Plain): Promise<void> {
  const format = negotiateResponse(ctx.get('accept'));
  const paths = scalePaths(scope);
  const { scheme, resource } = scope;
  const name = resourceRequestInfo(ctx).name;
  const result = await scope.store.update(rctx, name, {
    objInfo: (current: KubeObject | null) => {
      if (!current) throw newNotFound(scope.store.groupResource, name);
      const served = scheme.toPlain(scheme.convert(current, resource.gvk));
      const scale = next(scaleOf(served, paths));
      validateScale(scale);
      return scheme.convert(scheme.fromPlain(withScale(served, scale, paths), resource.gvk), resource.hubGVK);
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
  await writeScale(ctx, scope, rctx, () => body);
}

export async function patchScale(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const options = parseWriteOptions(queryOf(ctx), 'PatchOptions');
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const contentType = mediaTypeOf(ctx.get('content-type'));
  if (!SCALE_PATCH_TYPES.includes(contentType)) throw newUnsupportedMediaType(SCALE_PATCH_TYPES);
  const body = parsePatchBody(await readBody(ctx.req, scope.maxRequestBodyBytes));
  const patch = patchFunction(contentType, body, () => scope.scheme.schemaFor(Scale));
  await writeScale(ctx, scope, rctx, (current) =>
    scope.scheme.toPlain(decodeJSONValue(patch(current), scope, options.fieldValidation, rctx, SCALE_GVK)),
  );
}
