/**
 * The one place where errors become responses: a StatusError is written as its
 * Status; anything else is logged and answered 500 without leaking its message.
 */
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { isStatusError, newInternalError, type Status } from '../../api/status';

export function statusBody(status: Status): string {
  return JSON.stringify(status);
}

export function withPanicRecovery(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const statusError = isStatusError(err) ? err : newInternalError();
      if (!isStatusError(err)) logger.error({ err, path: ctx.path, method: ctx.method }, 'request failed');
      if (ctx.res.headersSent) {
        // A stream (watch) was already under way: all we can do is end it.
        ctx.res.destroy();
        return;
      }
      ctx.status = statusError.code;
      ctx.type = 'application/json';
      if (statusError.code === 401 || statusError.code === 403) ctx.set('X-Content-Type-Options', 'nosniff');
      const retryAfter = statusError.status.details?.retryAfterSeconds;
      if (retryAfter && (statusError.code === 429 || statusError.code >= 500)) ctx.set('Retry-After', String(retryAfter));
      ctx.body = statusBody(statusError.status);
    }
  };
}
