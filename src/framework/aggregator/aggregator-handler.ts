/**
 * The aggregator's part of request routing: merged discovery on /apis and on the
 * group paths of remote groups, the OpenAPI v3 index with the remote group
 * versions added, the OpenAPI v2 document with the backends' parts merged in,
 * and the proxy of /apis/<group>/<version>/... (and of their OpenAPI v3
 * documents) to the backend of an available APIService (503 with a Status when
 * it is not). Everything else goes on to the server's own routes.
 */
import { createHash } from 'node:crypto';
import type Koa from 'koa';
import { newServiceUnavailable } from '../api/status';
import { negotiateResponse } from '../endpoints/negotiation';
import { writeBody } from '../endpoints/response';
import type { ApiState } from '../endpoints/scope';
import { negotiateDiscovery } from '../server/discovery-aggregated';
import { writeAggregatedDiscovery } from '../server/discovery-routes';
import { matchesETag } from '../server/etag';
import { negotiateOpenAPIV2, sendOpenAPI } from '../server/openapi-routes';
import { OPENAPI_V2_PROTOBUF } from '../server/openapi-v2-protobuf';
import type { GenericAPIServer } from '../server/generic-apiserver';
import { unavailableMessage, type AvailabilityController } from './availability-controller';
import type { OpenAPIV2Aggregation } from './openapi-v2-aggregation';
import { mergedAggregatedDiscovery, mergedAPIGroupList, remoteAPIGroup, remoteGroups } from './merged-discovery';
import { proxyToBackend } from './proxy';

type Context = Koa.ParameterizedContext<ApiState>;

const GROUP_PATH = /^\/apis\/([^/]+)\/?$/;
const GROUP_VERSION_PATH = /^(?:\/openapi\/v3)?\/apis\/([^/]+)\/([^/]+)(?:\/|$)/;

export function aggregatorHandler(server: GenericAPIServer, controller: AvailabilityController, openAPIV2: OpenAPIV2Aggregation): Koa.Middleware<ApiState> {
  return async function aggregate(ctx: Context, next: Koa.Next) {
    if (ctx.path === '/apis' || ctx.path === '/apis/') {
      if (ctx.method !== 'GET') return next();
      return writeMergedDiscovery(ctx, server, controller);
    }
    if (ctx.path === '/openapi/v3' && ctx.method === 'GET') return writeMergedOpenAPIIndex(ctx, next, controller);
    if (ctx.path === '/openapi/v2' && ctx.method === 'GET') return writeMergedOpenAPIV2(ctx, next, openAPIV2);
    const groupMatch = GROUP_PATH.exec(ctx.path);
    if (groupMatch && ctx.method === 'GET') {
      const local = server.installedGroups();
      const group = remoteGroups(controller.remoteServices(), local).find((g) => g.name === groupMatch[1]);
      if (!group) return next();
      return writeBody(ctx as unknown as Koa.Context, 200, remoteAPIGroup(group), negotiateResponse(ctx.get('accept')).encoding);
    }
    const versionMatch = GROUP_VERSION_PATH.exec(ctx.path);
    const state = versionMatch ? controller.serviceFor(versionMatch[1], versionMatch[2]) : undefined;
    if (!state?.apiService.spec?.service) return next();
    if (state.availability.status !== 'True' || !state.backend) {
      throw newServiceUnavailable(unavailableMessage(state));
    }
    return proxyToBackend(ctx, state.backend, server.shutdownSignal).catch((err: unknown) => {
      // Unreachable: find out at once whether the whole APIService is down.
      controller.requestSync();
      throw err;
    });
  };
}

function writeMergedDiscovery(ctx: Context, server: GenericAPIServer, controller: AvailabilityController): void {
  const local = server.installedGroups();
  const remote = remoteGroups(controller.remoteServices(), local);
  const format = negotiateDiscovery(ctx.get('accept'));
  if (format === undefined || format === 'legacy') {
    writeBody(ctx as unknown as Koa.Context, 200, mergedAPIGroupList(local, remote), negotiateResponse(ctx.get('accept')).encoding);
    return;
  }
  writeAggregatedDiscovery(ctx, mergedAggregatedDiscovery(local, remote, format), format);
}

/** The server's own OpenAPI v2 document (asked for as JSON) with the backends' merged in, in the format the client asked for. */
async function writeMergedOpenAPIV2(ctx: Context, next: Koa.Next, aggregation: OpenAPIV2Aggregation): Promise<void> {
  const format = negotiateOpenAPIV2(ctx.get('accept'));
  if (!format) return next();
  // The ETag is the merged document's, so the local one must not answer 304 on its own.
  const headers = ctx.req.headers;
  const ifNoneMatch = headers['if-none-match'];
  delete headers['if-none-match'];
  headers.accept = 'application/json';
  await next();
  if (ctx.status !== 200 || !Buffer.isBuffer(ctx.body)) return;
  const local = { bytes: ctx.body, hash: ctx.response.get('ETag') };
  await aggregation.refresh();
  if (ifNoneMatch !== undefined) headers['if-none-match'] = ifNoneMatch;
  sendOpenAPI(ctx as unknown as Koa.Context, aggregation.document(local, format), format === 'json' ? 'application/json' : OPENAPI_V2_PROTOBUF);
}

/** The server's own OpenAPI v3 index, with each remote group version pointing at its document behind the proxy. */
async function writeMergedOpenAPIIndex(ctx: Context, next: Koa.Next, controller: AvailabilityController): Promise<void> {
  // The ETag is the merged index's, so the local one must not answer 304 on its own.
  const ifNoneMatch = ctx.get('if-none-match');
  delete ctx.req.headers['if-none-match'];
  await next();
  if (ctx.status !== 200 || !Buffer.isBuffer(ctx.body)) return;
  const index = JSON.parse(ctx.body.toString('utf8')) as { paths: Record<string, { serverRelativeURL: string }> };
  for (const state of controller.remoteServices()) {
    const key = `apis/${state.apiService.spec!.group}/${state.apiService.spec!.version}`;
    index.paths[key] ??= { serverRelativeURL: `/openapi/v3/${key}` };
  }
  const bytes = Buffer.from(JSON.stringify(index));
  const etag = `"${createHash('sha512').update(bytes).digest('hex').toUpperCase()}"`;
  ctx.set('ETag', etag);
  if (matchesETag(ifNoneMatch, etag)) {
    ctx.status = 304;
    ctx.body = null;
    return;
  }
  ctx.body = bytes;
}
