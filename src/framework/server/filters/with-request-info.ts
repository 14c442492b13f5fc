/** Parses what the request is about once, for every later filter and handler. */
import type { Middleware } from 'koa';
import type { ApiState } from '../../endpoints/scope';
import { parseRequestInfo } from '../request-info';

export function withRequestInfo(): Middleware<ApiState> {
  return (ctx, next) => {
    ctx.state.requestInfo = parseRequestInfo(ctx.method, ctx.path, new URLSearchParams(ctx.querystring));
    return next();
  };
}
