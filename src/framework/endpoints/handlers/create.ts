/** POST to a collection. */
import { negotiateResponse } from '../negotiation';
import { decodeRequestObject } from '../decode';
import { parseWriteOptions } from '../query-options';
import { renderObject, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, toServedVersion, type ApiContext, type RequestScope } from '../scope';
import { managerOf, updateTracker } from '../fieldmanager';

export async function createResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['Table', 'PartialObjectMetadata']);
  const options = parseWriteOptions(query, 'CreateOptions');
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const obj = await decodeRequestObject(ctx, scope, options.fieldValidation, rctx);
  const stored = await scope.store.create(rctx, scope.scheme.convert(obj, scope.resource.hubGVK), {
    managedFields: updateTracker(scope, managerOf(options.fieldManager, ctx.get('user-agent'))),
  });
  setWarnings(ctx, rctx.warnings);
  writeBody(ctx, 201, renderObject(toServedVersion(scope, stored), format, scope.table, query), format.encoding);
}
