/** DELETE of one object, and of a collection (deletecollection). */
import { FieldError, newBadRequest, newInvalid } from '../../api/status';
import type { DeleteRequest } from '../../registry/store';
import { readBody } from '../body';
import { negotiateResponse } from '../negotiation';
import { parseListOptions } from '../query-options';
import { renderList, renderObject, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';

interface DeleteOptionsBody {
  gracePeriodSeconds?: number;
  propagationPolicy?: string;
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: string[];
}

const POLICIES = ['Orphan', 'Background', 'Foreground'];

/** DeleteOptions from the JSON body (optional) and the query, validated as kube does. */
async function parseDeleteOptions(ctx: ApiContext, scope: RequestScope): Promise<{ request: DeleteRequest; dryRun: boolean }> {
  const query = queryOf(ctx);
  const raw = await readBody(ctx.req, scope.maxRequestBodyBytes);
  let body: DeleteOptionsBody = {};
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8')) as DeleteOptionsBody;
    } catch (err) {
      throw newBadRequest(`invalid DeleteOptions: ${(err as Error).message}`);
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw newBadRequest('invalid DeleteOptions: not an object');
  }
  const grace = query.get('gracePeriodSeconds');
  const gracePeriodSeconds = grace !== null ? Number(grace) : body.gracePeriodSeconds;
  let propagationPolicy = query.get('propagationPolicy') ?? body.propagationPolicy;
  const orphanRaw = query.get('orphanDependents');
  const orphanDependents = orphanRaw !== null ? orphanRaw === 'true' : body.orphanDependents;
  const dryRun = [...query.getAll('dryRun'), ...(body.dryRun ?? [])];

  const errors: FieldError[] = [];
  if (gracePeriodSeconds !== undefined && (!Number.isInteger(gracePeriodSeconds) || gracePeriodSeconds < 0)) {
    errors.push({ type: 'FieldValueInvalid', field: 'gracePeriodSeconds', value: gracePeriodSeconds, detail: 'must be a non-negative integer' });
  }
  if (propagationPolicy !== undefined && !POLICIES.includes(propagationPolicy)) {
    errors.push({ type: 'FieldValueNotSupported', field: 'propagationPolicy', value: propagationPolicy, detail: 'supported values: "Foreground", "Background", "Orphan", "nil"' });
  }
  if (orphanDependents !== undefined && propagationPolicy !== undefined) {
    errors.push({ type: 'FieldValueInvalid', field: 'propagationPolicy', value: propagationPolicy, detail: 'orphanDependents and deletionPropagation cannot be both set' });
  }
  for (const value of dryRun) {
    if (value !== 'All') errors.push({ type: 'FieldValueNotSupported', field: 'dryRun', value, detail: 'supported values: "All"' });
  }
  if (errors.length > 0) throw newInvalid({ group: 'meta.k8s.io', kind: 'DeleteOptions' }, '', errors);
  if (orphanDependents !== undefined) propagationPolicy = orphanDependents ? 'Orphan' : 'Background';
  return {
    request: { gracePeriodSeconds, propagationPolicy: propagationPolicy as DeleteRequest['propagationPolicy'], preconditions: body.preconditions },
    dryRun: dryRun.length > 0,
  };
}

export async function deleteResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['PartialObjectMetadata']);
  const { request, dryRun } = await parseDeleteOptions(ctx, scope);
  const rctx = requestContextOf(ctx, scope, dryRun);
  const result = await scope.store.delete(rctx, resourceRequestInfo(ctx).name, request);
  setWarnings(ctx, rctx.warnings);
  writeBody(ctx, 200, renderObject(toServedVersion(scope, result.object), format, scope.table, query), format.encoding);
}

export async function deleteCollection(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['PartialObjectMetadataList']);
  const list = parseListOptions(query, false);
  const { request, dryRun } = await parseDeleteOptions(ctx, scope);
  const rctx = requestContextOf(ctx, scope, dryRun);
  const deleted = await scope.store.deleteCollection(rctx, list, request);
  setWarnings(ctx, rctx.warnings);
  const items = deleted.map((item) => toServedVersion(scope, item));
  const listKind = { apiVersion: scope.apiVersion, kind: scope.resource.listKind };
  writeBody(ctx, 200, renderList(items, {}, listKind, format, scope.table, query), format.encoding);
}
