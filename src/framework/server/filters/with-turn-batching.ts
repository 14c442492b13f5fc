/**
 * Handles the requests read in one turn of the event loop together, once the
 * turn has read every connection that was ready (in setImmediate), instead of
 * handling each in the middle of the reads.
 *
 * Why: under load, reading all ready connections first and then handling and
 * answering the requests in one burst keeps each stage's code hot and sends the
 * answers together. On the 2-core machines this nearly doubled the requests per
 * second of a small GET (10k to 17-20k on /version, 64 keep-alive connections)
 * and raised creates by a quarter (see bench/ and the README's Performance
 * section). The price is one turn of the event loop, microseconds when idle.
 */
import type { Middleware } from 'koa';
import type { ApiState } from '../../endpoints/scope';

/** Resolves when the current turn's reads are done; shared by every request of the turn. */
let turnEnd: Promise<void> | undefined;

function afterThisTurnsReads(): Promise<void> {
  turnEnd ??= new Promise((resolve) =>
    setImmediate(() => {
      turnEnd = undefined;
      resolve();
    }),
  );
  return turnEnd;
}

export function withTurnBatching(): Middleware<ApiState> {
  return async (_ctx, next) => {
    await afterThisTurnsReads();
    await next();
  };
}
