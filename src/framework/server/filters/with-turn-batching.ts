/**
 * When several requests are read in one turn of the event loop, the first is
 * handled at once and the others together once the turn has read every
 * connection that was ready (in setImmediate), instead of each in the middle of
 * the reads. A request that comes alone is handled at once: there is nothing to
 * batch, and a turn's wait would only add latency.
 *
 * Why: under load, reading all ready connections first and then handling and
 * answering the requests in one burst keeps each stage's code hot and sends the
 * answers together. On the 2-core machines this more than doubled the requests
 * per second of a small GET (10k to 24k on /version, 64 keep-alive connections)
 * and raised creates by a quarter (see bench/ and the README's Performance
 * section), while making every request wait a turn raised the watch latency p99
 * of lone writes by about half.
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../../endpoints/scope';

/** Made by the first request of a turn; resolves, and is cleared, when the turn's reads are done. */
let turnEnd: Promise<void> | undefined;

export function withTurnBatching(): Middleware<ApiState> {
  return async (_ctx, next) => {
    if (turnEnd) {
      await turnEnd;
    } else {
      turnEnd = new Promise((resolve) =>
        setImmediate(() => {
          turnEnd = undefined;
          resolve();
        }),
      );
    }
    await next();
  };
}
