/** Asks the authorizer; anything short of an allow is 403 with kube-apiserver's wording. */
import type { Middleware } from 'koa';
import { StatusError } from '../../api/status';
import type { Authorizer } from '../../auth/authorizer';
import type { ApiState } from '../../endpoints/scope';
import type { RequestInfo } from '../request-info';
import { isHealthPath } from './health-paths';

function forbiddenMessage(username: string, info: RequestInfo): string {
  if (!info.isResourceRequest) return `forbidden: User "${username}" cannot ${info.verb} path "${info.path}"`;
  const resource = info.subresource ? `${info.resource}/${info.subresource}` : info.resource;
  const where = info.namespace ? `in the namespace "${info.namespace}"` : 'at the cluster scope';
  const what = info.apiGroup ? `${info.resource}.${info.apiGroup}` : info.resource;
  const named = info.name ? `${what} "${info.name}"` : what;
  return `${named} is forbidden: User "${username}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}" ${where}`;
}

export function withAuthorization(authorizer: Authorizer): Middleware<ApiState> {
  return async (ctx, next) => {
    const info = ctx.state.requestInfo;
    const user = ctx.state.user;
    if (!isHealthPath(ctx.path) && user) {
      const result = await authorizer.authorize({ user, request: info });
      if (result.decision !== 'allow') {
        const reason = result.reason ? `: ${result.reason}` : '';
        throw new StatusError({
          code: 403,
          reason: 'Forbidden',
          message: forbiddenMessage(user.username, info) + reason,
          details: info.isResourceRequest ? { name: info.name || undefined, group: info.apiGroup, kind: info.resource } : undefined,
        });
      }
    }
    await next();
  };
}
