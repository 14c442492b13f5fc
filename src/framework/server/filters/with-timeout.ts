/**
 * Answers 504 when a (non-watch) request runs past the request timeout. The work
 * itself cannot be cancelled; the client at least gets an answer in time.
 */
import type { Middleware } from 'koa';
import { newTimeout } from '../../api/status';
import type { ApiState } from '../../endpoints/scope';
import { isLongRunning } from './long-running';

/** timeoutMs > 0: the chain leaves this filter out when requests have no timeout. */
export function withTimeout(timeoutMs: number): Middleware<ApiState> {
  return (ctx, next) => {
    if (isLongRunning(ctx.state.requestInfo)) return next();
    // One promise per request: settled by the work or by the timer, whichever comes first;
    // a late result (or failure) of abandoned work settles nothing and is not left unhandled.
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(newTimeout('Timeout: request did not complete within the allotted timeout')), timeoutMs);
      next().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  };
}
