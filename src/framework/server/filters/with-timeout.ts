/**
 * Answers 504 when a (non-watch) request runs past the request timeout. The work
 * itself cannot be cancelled; the client at least gets an answer in time.
 */
import type { Middleware } from 'koa';
import { newTimeout } from '../../api/status';
import type { ApiState } from '../../endpoints/scope';
import { isLongRunning } from './long-running';

export function withTimeout(timeoutMs: number): Middleware<ApiState> {
  return async (ctx, next) => {
    if (isLongRunning(ctx.state.requestInfo) || timeoutMs <= 0) return next();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(newTimeout('Timeout: request did not complete within the allotted timeout')), timeoutMs);
    });
    const work = next();
    // A late failure of abandoned work must not become an unhandled rejection.
    work.catch(() => undefined);
    try {
      await Promise.race([work, expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}
