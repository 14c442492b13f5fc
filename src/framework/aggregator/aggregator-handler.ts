/**
 * The aggregator's part of request routing: merged discovery on /apis and on the
 * group paths of remote groups, and the proxy of /apis/<group>/<version>/... to
 * the backend of an available APIService (503 with a Status when it is not).
 * Everything else goes on to the server's own routes.
 */
import type Koa from 'koa';
import { newServiceUnavailable } from '../api/status';
import { negotiateResponse } from '../endpoints/negotiation';
import { writeBody } from '../endpoints/response';
import type { ApiState } from '../endpoints/scope';
import { negotiateDiscovery } from '../server/discovery-aggregated';
import { writeAggregatedDiscovery } from '../server/discovery-routes';
import type { GenericAPIServer } from '../server/generic-apiserver';
import type { AvailabilityController } from './availability-controller';
import { mergedAggregatedDiscovery, mergedAPIGroupList, remoteAPIGroup, remoteGroups } from './merged-discovery';
import { proxyToBackend } from './proxy';

type Context = Koa.ParameterizedContext<ApiState>;

const GROUP_PATH = /^\/apis\/([^/]+)\/?$/;
const GROUP_VERSION_PATH = /^\/apis\/([^/]+)\/([^/]+)(?:\/|$)/;

export function aggregatorHandler(server: GenericAPIServer, controller: AvailabilityController): Koa.Middleware<ApiState> {
  return async function aggregate(ctx: Context, next: Koa.Next) {
    if (ctx.path === '/apis' || ctx.path === '/apis/') {
      if (ctx.method !== 'GET') return next();
      return writeMergedDiscovery(ctx, server, controller);
    }
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
      throw newServiceUnavailable(`the server is currently unable to handle the request (${state.apiService.metadata.name} is not available: ${state.availability.message})`);
    }
    return proxyToBackend(ctx, state.backend, server.shutdownSignal);
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
