/** Asks the authorizer; anything short of an allow is 403 with kube-apiserver's wording. */
import type { Middleware } from 'koa';
import { requestAttributes, type Authorizer } from '../../auth/authorizer';
import { newForbiddenRequest } from '../../auth/forbidden';
import type { ApiState } from '../../endpoints/scope';
import { addAuditAnnotation } from './with-audit';
import { isHealthPath } from './health-paths';

export interface AuthorizationFilterOptions {
  /** Annotate each decision for the audit log (only worth doing when something is audited). */
  recordDecisions: boolean;
}

export function withAuthorization(authorizer: Authorizer, opts: AuthorizationFilterOptions): Middleware<ApiState> {
  return async (ctx, next) => {
    const user = ctx.state.user;
    if (!isHealthPath(ctx.path) && user) {
      const attrs = requestAttributes(user, ctx.state.requestInfo);
      const result = await authorizer.authorize(attrs);
      if (opts.recordDecisions) {
        // As kube-apiserver records them in the audit log.
        addAuditAnnotation(ctx.req, 'authorization.k8s.io/decision', result.decision === 'allow' ? 'allow' : 'forbid');
        if (result.reason) addAuditAnnotation(ctx.req, 'authorization.k8s.io/reason', result.reason);
      }
      if (result.decision !== 'allow') throw newForbiddenRequest(attrs, result.reason);
    }
    await next();
  };
}
