/** Asks the authorizer; anything short of an allow is 403 with kube-apiserver's wording. */
import type { Middleware } from 'koa';
import { requestAttributes, type Authorizer } from '../../auth/authorizer';
import { newForbiddenRequest } from '../../auth/forbidden';
import type { ApiState } from '../../endpoints/scope';
import { isHealthPath } from './health-paths';

export function withAuthorization(authorizer: Authorizer): Middleware<ApiState> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    if (!isHealthPath(ctx.path) && user) {
      const attrs = requestAttributes(user, ctx.state.requestInfo);
      const result = await authorizer.authorize(attrs);
      if (result.decision !== 'allow') throw newForbiddenRequest(attrs, result.reason);
    }
    await next();
  };
}
