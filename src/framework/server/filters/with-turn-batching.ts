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

/** Requests seen in the current turn of the event loop. */
let requestsThisTurn = 0;
/** Resolves when the current turn's reads are done; shared by the requests that wait for it. */
let turnEnd: Promise<void> | undefined;

/** Counts a request into the current turn; the count starts again when the turn ends. */
function countIntoTurn(): number {
  if (requestsThisTurn === 0) setImmediate(() => (requestsThisTurn = 0));
  return ++requestsThisTurn;
}

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
    if (countIntoTurn() > 1) await afterThisTurnsReads();
    await next();
  };
}
