/**
 * Establishes the user. Unrecognised requests are anonymous only when anonymous
 * auth is enabled (health probes always may be); otherwise 401.
 */
import type { Middleware, ParameterizedContext } from 'koa';
import { newUnauthorized } from '../../api/status';
import { ANONYMOUS_USER, type Authenticator } from '../../auth/authenticator';
import type { ApiState } from '../../endpoints/scope';
import { isHealthPath } from './health-paths';

export interface AuthenticationFilterOptions {
  anonymous: boolean;
  /** Told about each request refused with 401 (the audit log records them). */
  onRefused?: (ctx: ParameterizedContext<ApiState>) => void;
}

export function withAuthentication(authenticator: Authenticator, opts: AuthenticationFilterOptions): Middleware<ApiState> {
  return async (ctx, next) => {
    const result = await authenticator.authenticate(ctx.req);
    if (result.kind === 'user') {
      ctx.state.user = result.user;
    } else if (result.kind === 'none' && (opts.anonymous || isHealthPath(ctx.path))) {
      ctx.state.user = ANONYMOUS_USER;
    } else {
      opts.onRefused?.(ctx);
      throw newUnauthorized();
    }
    await next();
  };
}
