/** GET of one object (also of its status subresource, which returns the whole object). */
import { negotiateResponse } from '../negotiation';
import { servedObjectJSON } from '../served-bytes';
import { renderObject, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';

export async function getResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['Table', 'PartialObjectMetadata', 'PartialObjectMetadataList']);
  const rctx = requestContextOf(ctx, scope);
  const stored = await scope.store.get(rctx, resourceRequestInfo(ctx).name, {
    resourceVersion: query.get('resourceVersion') || undefined,
  });
  setWarnings(ctx, rctx.warnings);
  if (format.encoding === 'application/json' && !format.transform) {
    ctx.status = 200;
    ctx.type = 'application/json';
    ctx.body = servedObjectJSON(scope, stored);
    return;
  }
  writeBody(ctx, 200, renderObject(toServedVersion(scope, stored), format, scope.table, query), format.encoding);
}
