/**
 * PATCH of one object (or of its status): JSON Patch and JSON Merge Patch, applied
 * to the current object in the request's version inside the Store's
 * compare-and-swap loop, so concurrent writers never lose an update.
 */
import { applyPatch, JsonPatchError, type Operation } from 'fast-json-patch';
import { newBadRequest, newNotFound, newUnsupportedMediaType, StatusError } from '../../api/status';
import type { KubeObject, ResourceInfo } from '../../runtime';
import type { StrategicMergePatchSchema } from '../strategic-merge-patch';
import { readBody } from '../body';
import { decodeJSONValue } from '../decode';
import { applyMergePatch } from '../merge-patch';
import { applyStrategicMergePatch } from '../strategic-merge-patch';
import { mediaTypeOf, negotiateResponse } from '../negotiation';
import { parseWriteOptions } from '../query-options';
import { renderObject, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const SUPPORTED_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH];

/** The patch types a resource takes: strategic merge patch only where it applies (custom resources take the others). */
export function patchTypesOf(resource: ResourceInfo): string[] {
  return resource.strategicMergePatch ? SUPPORTED_PATCH_TYPES : SUPPORTED_PATCH_TYPES.filter((type) => type !== STRATEGIC_MERGE_PATCH);
}

export type PatchFn = (current: unknown) => unknown;

export function parsePatchBody(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw newBadRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

function jsonPatch(body: unknown): PatchFn {
  if (!Array.isArray(body)) throw newBadRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  return (current) => {
    try {
      return applyPatch(structuredClone(current), body as Operation[], true, false).newDocument;
    } catch (err) {
      const message = err instanceof JsonPatchError ? `${err.name}: ${err.message.split('\n')[0]}` : (err as Error).message;
      throw new StatusError({ code: 422, reason: 'Invalid', message });
    }
  };
}

/** Strategic merge patch, driven by the merge keys and strategies of the patched kind's schema. */
function strategicMergePatch(body: unknown, schema: StrategicMergePatchSchema): PatchFn {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw newBadRequest('the strategic merge patch must be a JSON object');
  return (current) => applyStrategicMergePatch(current, body, schema);
}

function mergePatch(body: unknown): PatchFn {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw newBadRequest('the merge patch must be a JSON object');
  return (current) => applyMergePatch(current, body);
}

/**
 * What a parsed PATCH body does to the current object: JSON Patch, JSON Merge Patch or
 * strategic merge patch (which reads `schema`); any other content type is a 415.
 */
export function patchFunction(contentType: string, body: unknown, schema: () => StrategicMergePatchSchema): PatchFn {
  if (contentType === JSON_PATCH) return jsonPatch(body);
  if (contentType === MERGE_PATCH) return mergePatch(body);
  if (contentType === STRATEGIC_MERGE_PATCH) return strategicMergePatch(body, schema());
  throw newUnsupportedMediaType(SUPPORTED_PATCH_TYPES);
}

export async function patchResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const contentType = mediaTypeOf(ctx.get('content-type'));
  const patchTypes = patchTypesOf(scope.resource);
  if (!patchTypes.includes(contentType)) throw newUnsupportedMediaType(patchTypes);
  const format = negotiateResponse(ctx.get('accept'), ['Table', 'PartialObjectMetadata']);
  const options = parseWriteOptions(query, 'PatchOptions');
  const body = parsePatchBody(await readBody(ctx.req, scope.maxRequestBodyBytes));
  const patch = patchFunction(contentType, body, () => scope.scheme.schemaFor(scope.resource.type));
  const name = resourceRequestInfo(ctx).name;
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const { scheme, resource } = scope;

  const result = await scope.store.update(rctx, name, {
    subresource: scope.subresource,
    objInfo: (current: KubeObject | null) => {
      if (!current) throw newNotFound(scope.store.groupResource, name);
      const patched = patch(scheme.toPlain(scheme.convert(current, resource.gvk)));
      return scheme.convert(decodeJSONValue(patched, scope, options.fieldValidation, rctx), resource.hubGVK);
    },
  });
  setWarnings(ctx, rctx.warnings);
  writeBody(ctx, 200, renderObject(toServedVersion(scope, result.object), format, scope.table, query), format.encoding);
}
