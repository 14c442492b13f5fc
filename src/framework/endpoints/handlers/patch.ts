/**
 * PATCH of one object (or of its status): JSON Patch, JSON Merge Patch, strategic
 * merge patch and server-side apply, applied to the current object in the request's
 * version inside the Store's compare-and-swap loop, so concurrent writers never lose
 * an update.
 */
import { applyPatch, JsonPatchError, type Operation } from 'fast-json-patch';
import { newBadRequest, newConflict, newNotFound, newUnsupportedMediaType, StatusError } from '../../api/status';
import type { KubeObject, ResourceInfo } from '../../runtime';
import { isRecord, jsonTypeOf } from '../../runtime/json-value';
import { parseBody, parseJSON, sniffFormat, SyntaxProblem, type ParsedBody } from '../../runtime/parse';
import type { RequestContext } from '../../registry/context';
import type { UpdateRequest } from '../../registry/store';
import { COMPUTED_MANAGED_FIELDS, fieldManagerFor, managerOf, servedPlain, updateTracker, type PlainObject } from '../fieldmanager';
import type { StrategicMergePatchSchema } from '../strategic-merge-patch';
import { readBody } from '../body';
import { decodeJSONValue } from '../decode';
import { applyMergePatch } from '../merge-patch';
import { applyStrategicMergePatch } from '../strategic-merge-patch';
import { mediaTypeOf, negotiateResponse } from '../negotiation';
import { parseWriteOptions, type WriteOptions } from '../query-options';
import { renderObject, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';
import { checkNameAndNamespace } from './update';

const JSON_PATCH = 'application/json-patch+json';
const MERGE_PATCH = 'application/merge-patch+json';
const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
/** Server-side apply; the body is YAML or JSON (which is YAML too). */
export const APPLY_PATCH = 'application/apply-patch+yaml';
export const SUPPORTED_PATCH_TYPES = [JSON_PATCH, MERGE_PATCH, STRATEGIC_MERGE_PATCH, APPLY_PATCH];

/** The patch types a resource takes: strategic merge patch only where it applies (custom resources take the others). */
export function patchTypesOf(resource: ResourceInfo): string[] {
  return resource.strategicMergePatch ? SUPPORTED_PATCH_TYPES : SUPPORTED_PATCH_TYPES.filter((type) => type !== STRATEGIC_MERGE_PATCH);
}

export type PatchFn = (current: unknown) => unknown;

export function parsePatchBody(raw: Buffer): unknown {
  try {
    // parseJSON, not JSON.parse: it refuses nesting deep enough to exhaust the stack of the patch engines.
    return parseJSON(raw.toString('utf8')).value;
  } catch (err) {
    throw newBadRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

function jsonPatch(body: unknown): PatchFn {
  if (!Array.isArray(body)) throw newBadRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  return (current) => {
    try {
      const patched: unknown = applyPatch(structuredClone(current), body as Operation[], true, false).newDocument;
      // fast-json-patch lets a move or copy to the root from a missing path leave no document at all.
      if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) throw new Error('the patch does not leave an object');
      return patched;
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
  const options = parseWriteOptions(query, 'PatchOptions', contentType === APPLY_PATCH);
  const raw = await readBody(ctx.req, scope.maxRequestBodyBytes);
  const name = resourceRequestInfo(ctx).name;
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const update =
    contentType === APPLY_PATCH
      ? applyRequest(ctx, scope, rctx, parseApplyConfiguration(raw), options)
      : patchRequest(ctx, scope, rctx, patchFunction(contentType, parsePatchBody(raw), () => scope.scheme.schemaFor(scope.resource.type)), options);
  const result = await scope.store.update(rctx, name, update);
  setWarnings(ctx, rctx.warnings);
  writeBody(ctx, result.created ? 201 : 200, renderObject(toServedVersion(scope, result.object), format, scope.table, query), format.encoding);
}

/** A JSON, merge or strategic merge patch of an existing object, recorded as an Update in managedFields. */
function patchRequest(ctx: ApiContext, scope: RequestScope, rctx: RequestContext, patch: PatchFn, options: WriteOptions): UpdateRequest<KubeObject> {
  const { scheme, resource } = scope;
  const name = resourceRequestInfo(ctx).name;
  return {
    subresource: scope.subresource,
    managedFields: updateTracker(scope, managerOf(options.fieldManager, ctx.get('user-agent'))),
    objInfo: (current: KubeObject | null) => {
      if (!current) throw newNotFound(scope.store.groupResource, name);
      const patched = patch(servedPlain(scope, current));
      return scheme.convert(decodeJSONValue(patched, scope, options.fieldValidation, rctx), resource.hubGVK);
    },
  };
}

export interface ApplyConfiguration {
  config: PlainObject;
  /** Keys given twice, as `.spec.size`. */
  duplicateFields: string[];
}

/** The body of an apply: one YAML or JSON object. */
export function parseApplyConfiguration(raw: Buffer): ApplyConfiguration {
  const text = raw.toString('utf8');
  let parsed: ParsedBody;
  try {
    parsed = parseBody(text, sniffFormat(text));
  } catch (err) {
    if (err instanceof SyntaxProblem) throw newBadRequest(`error decoding patch: ${err.message}`);
    throw err;
  }
  const { value } = parsed;
  if (value === null || value === undefined) return { config: {}, duplicateFields: [] };
  if (!isRecord(value)) throw newBadRequest(`error decoding patch: json: cannot unmarshal ${jsonTypeOf(value)} into Go value of type map[string]interface {}`);
  return { config: value, duplicateFields: parsed.duplicateFields };
}

/**
 * Server-side apply: the configuration merged into the current object (or into a new
 * one: apply creates) by the field manager, which also decides managedFields.
 */
function applyRequest(ctx: ApiContext, scope: RequestScope, rctx: RequestContext, applied: ApplyConfiguration, options: WriteOptions): UpdateRequest<KubeObject> {
  const { scheme, resource } = scope;
  const { name, namespace } = resourceRequestInfo(ctx);
  const fieldManager = fieldManagerFor(scope);
  return {
    subresource: scope.subresource,
    forceAllowCreate: true,
    managedFields: COMPUTED_MANAGED_FIELDS,
    objInfo: (current: KubeObject | null) => {
      const result = fieldManager.apply(current && servedPlain(scope, current), applied.config, options.fieldManager as string, options.force ?? false);
      const uid = isRecord(result.metadata) ? result.metadata.uid : undefined;
      if (!current && uid) {
        throw newConflict(scope.store.groupResource, name, `uid mismatch: the provided object specified uid ${uid}, and no existing object was found`);
      }
      const obj = decodeJSONValue(result, scope, options.fieldValidation, rctx);
      checkNameAndNamespace(obj, scope, name, namespace);
      checkDuplicateFields(applied.duplicateFields, options, rctx);
      return scheme.convert(obj, resource.hubGVK);
    },
  };
}

/** Keys given twice in an apply body: refused under fieldValidation=Strict, reported under Warn. */
export function checkDuplicateFields(duplicates: string[], options: WriteOptions, rctx: RequestContext): void {
  if (duplicates.length === 0 || options.fieldValidation === 'Ignore') return;
  const problems = duplicates.map((path) => `duplicate field ${JSON.stringify(path.replace(/^\./, ''))}`);
  if (options.fieldValidation === 'Strict') throw newBadRequest(`error strict decoding patch: ${problems.join(', ')}`);
  rctx.warnings.push(...problems);
}
