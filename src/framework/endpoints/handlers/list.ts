/** GET of a collection. */
import { negotiateResponse } from '../negotiation';
import { servedListJSON } from '../served-bytes';
import { parseListOptions } from '../query-options';
import { renderList, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, toServedVersion, type ApiContext, type RequestScope } from '../scope';

export async function listResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']);
  const options = parseListOptions(query, false);
  const rctx = requestContextOf(ctx, scope);
  const result = await scope.store.list(rctx, options);
  setWarnings(ctx, rctx.warnings);
  const listMeta = { resourceVersion: result.resourceVersion, continue: result.continue, remainingItemCount: result.remainingItemCount };
  const listKind = { apiVersion: scope.apiVersion, kind: scope.resource.listKind };
  if (format.encoding === 'application/json' && !format.transform) {
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = servedListJSON(scope, listKind.kind, listMeta, result.items);
    return;
  }
  const items = result.items.map((item) => toServedVersion(scope, item));
  writeBody(ctx, 200, renderList(items, listMeta, listKind, format, scope.table, query), format.encoding);
}
