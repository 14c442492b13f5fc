/**
 * Under load, handles the requests read in one turn of the event loop together,
 * once the turn has read every connection that was ready (in setImmediate),
 * instead of handling each in the middle of the reads. When the loop is mostly
 * idle, requests are handled at once: there is nothing to batch, and a turn's
 * wait would only add latency.
 *
 * Why: reading all ready connections first and then handling and answering the
 * requests in one burst keeps each stage's code hot and sends the answers
 * together. On the 2-core machines this more than doubled the requests per
 * second of a small GET (10k to 24k on /version, 64 keep-alive connections) and
 * raised creates by a quarter (see bench/ and the README's Performance section),
 * while a lone write waited a turn longer for nothing (watch latency p99 up by
 * about half): hence batching only while the loop is busy.
 */
import type { Middleware } from 'koa';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { ApiState } from '../../endpoints/scope';

/** How often the event loop's utilization is sampled, and above which share of it the loop counts as busy. */
const SAMPLE_INTERVAL_MS = 100;
const BUSY_UTILIZATION = 0.5;

/** Resolves when the current turn's reads are done; shared by every request of the turn. */
let turnEnd: Promise<void> | undefined;
let busy = false;
let sampler: NodeJS.Timeout | undefined;

function afterThisTurnsReads(): Promise<void> {
  turnEnd ??= new Promise((resolve) =>
    setImmediate(() => {
      turnEnd = undefined;
      resolve();
    }),
  );
  return turnEnd;
}

/** Keeps `busy` current, from one timer for the whole process (it does not keep the process alive). */
function sampleLoadOnce(): void {
  if (sampler) return;
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  sampler = setInterval(() => {
    const now = performance.eventLoopUtilization();
    busy = performance.eventLoopUtilization(now, previous).utilization > BUSY_UTILIZATION;
    previous = now;
  }, SAMPLE_INTERVAL_MS);
  sampler.unref();
}

export function withTurnBatching(): Middleware<ApiState> {
  sampleLoadOnce();
  return async (_ctx, next) => {
    if (busy) await afterThisTurnsReads();
    await next();
  };
}
