/**
 * The discovery routes: /api, /apis (legacy or aggregated, by Accept, with ETag and
 * 304 for the aggregated form), /apis/<group>, /api/<version> and
 * /apis/<group>/<version>, always from what is installed at the time of the request.
 */
import { createHash } from 'node:crypto';
import type Router from '@koa/router';
import type Koa from 'koa';
import { negotiateResponse } from '../endpoints/negotiation';
import { writeBody } from '../endpoints/response';
import type { ApiState } from '../endpoints/scope';
import { matchesETag } from './etag';
import { newNotFoundPath } from './not-found';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, type InstalledGroup } from './discovery';
import { aggregatedContentType, aggregatedDiscovery, negotiateDiscovery, type APIGroupDiscoveryList, type DiscoveryVersion } from './discovery-aggregated';

type Context = Koa.ParameterizedContext<ApiState>;

export class DiscoveryRoutes {
  /** @param groups every installed group, the core group ('') included. */
  constructor(private readonly groups: () => InstalledGroup[]) {}

  install(router: Router<ApiState>): void {
    const find = (group: string) => this.groups().find((g) => g.group === group);
    router.get('/api', (ctx) => this.root(ctx, 'api', () => apiVersions(find(''))));
    router.get('/apis', (ctx) => this.root(ctx, 'apis', () => apiGroupList(this.groups())));
    router.get('/apis/:group', (ctx) => {
      const g = find(ctx.params.group);
      if (!g || g.group === '') throw newNotFoundPath();
      legacy(ctx, apiGroup(g));
    });
    const resourceList = (ctx: Context, group: string, version: string) => {
      const resources = find(group)?.resources.get(version);
      if (!resources) throw newNotFoundPath();
      legacy(ctx, apiResourceList(group, version, resources));
    };
    router.get('/api/:version', (ctx) => resourceList(ctx, '', ctx.params.version));
    router.get('/apis/:group/:version', (ctx) => resourceList(ctx, ctx.params.group, ctx.params.version));
  }

  private root(ctx: Context, path: 'api' | 'apis', legacyBody: () => unknown): void {
    const format = negotiateDiscovery(ctx.get('accept'));
    if (format === undefined || format === 'legacy') {
      legacy(ctx, legacyBody());
      return;
    }
    // Small enough to render per request, so it never lags behind an install.
    const groups = this.groups().filter((g) => (path === 'api' ? g.group === '' : g.group !== ''));
    writeAggregatedDiscovery(ctx, aggregatedDiscovery(groups, format), format);
  }
}

/** Writes an aggregated discovery document with its ETag, or 304 when the client has it already. */
export function writeAggregatedDiscovery(ctx: Context, list: APIGroupDiscoveryList, format: DiscoveryVersion): void {
  const bytes = JSON.stringify(list);
  const etag = `"${createHash('sha512').update(bytes).digest('hex')}"`;
  ctx.set('Content-Type', aggregatedContentType(format));
  ctx.set('ETag', etag);
  ctx.set('Vary', 'Accept');
  ctx.set('Cache-Control', 'public');
  if (matchesETag(ctx.get('if-none-match'), etag)) {
    ctx.status = 304;
    return;
  }
  ctx.status = 200;
  ctx.body = bytes;
}

function legacy(ctx: Context, body: unknown): void {
  writeBody(ctx as unknown as Koa.Context, 200, body, negotiateResponse(ctx.get('accept')).encoding);
}
