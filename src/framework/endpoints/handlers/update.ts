/** PUT of one object (or of its status). Creates it when the strategy allows. */
import { negotiateResponse } from '../negotiation';
import { decodeRequestObject } from '../decode';
import { parseWriteOptions } from '../query-options';
import { renderObject, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';

export async function updateResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['Table', 'PartialObjectMetadata']);
  const options = parseWriteOptions(query, 'UpdateOptions');
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const obj = await decodeRequestObject(ctx, scope, options.fieldValidation, rctx);
  const hub = scope.scheme.convert(obj, scope.resource.hubGVK);
  const result = await scope.store.update(rctx, resourceRequestInfo(ctx).name, {
    objInfo: () => scope.scheme.convert(hub, scope.resource.hubGVK),
    subresource: scope.subresource,
  });
  setWarnings(ctx, rctx.warnings);
  writeBody(ctx, result.created ? 201 : 200, renderObject(toServedVersion(scope, result.object), format, scope.table, query), format.encoding);
}
