/** PUT of one object (or of its status). Creates it when the strategy allows. */
import { newBadRequest } from '../../api/status';
import type { KubeObject } from '../../runtime';
import { negotiateResponse } from '../negotiation';
import { decodeRequestObject } from '../decode';
import { parseWriteOptions } from '../query-options';
import { renderObject, setWarnings, writeBody } from '../response';
import { queryOf, requestContextOf, resourceRequestInfo, toServedVersion, type ApiContext, type RequestScope } from '../scope';
import { managerOf, updateTracker } from '../fieldmanager';

/**
 * The body must name the object on the URL, and a namespaced one may not name
 * another namespace. Checked before storage is asked, as kube-apiserver does, so
 * the answer is 400 whether or not the object exists.
 */
export function checkNameAndNamespace(obj: KubeObject, scope: RequestScope, name: string, namespace: string): void {
  const meta = obj.metadata ?? {};
  if (scope.resource.namespaced && meta.namespace && meta.namespace !== namespace) {
    throw newBadRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (!meta.name) throw newBadRequest(`the name of the object (${name} based on URL) was undeterminable: name must be provided`);
  if (meta.name !== name) throw newBadRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
}

export async function updateResource(ctx: ApiContext, scope: RequestScope): Promise<void> {
  const query = queryOf(ctx);
  const format = negotiateResponse(ctx.get('accept'), ['Table', 'PartialObjectMetadata']);
  const options = parseWriteOptions(query, 'UpdateOptions');
  const rctx = requestContextOf(ctx, scope, options.dryRun);
  const obj = await decodeRequestObject(ctx, scope, options.fieldValidation, rctx);
  const { name, namespace } = resourceRequestInfo(ctx);
  checkNameAndNamespace(obj, scope, name, namespace);
  const hub = scope.scheme.convert(obj, scope.resource.hubGVK);
  const result = await scope.store.update(rctx, name, {
    objInfo: () => scope.scheme.convert(hub, scope.resource.hubGVK),
    subresource: scope.subresource,
    managedFields: updateTracker(scope, managerOf(options.fieldManager, ctx.get('user-agent'))),
  });
  setWarnings(ctx, rctx.warnings);
  writeBody(ctx, result.created ? 201 : 200, renderObject(toServedVersion(scope, result.object), format, scope.table, query), format.encoding);
}
