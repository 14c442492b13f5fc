/**
 * Bounds concurrent requests, read-only and mutating separately, as kube-apiserver's
 * --max-requests-inflight and --max-mutating-requests-inflight do. Over the limit:
 * 429 with Retry-After at once, so a flood is answered rather than queued. Health
 * probes are not counted: a server busy with a flood is still alive and ready.
 */
import type { Middleware } from 'koa';
import { newTooManyRequests } from '../../api/status';
import type { ApiState } from '../../endpoints/scope';
import { isHealthPath } from './health-paths';
import { isLongRunning, isMutating } from './long-running';

export interface InFlightLimits {
  maxReadOnly: number;
  maxMutating: number;
}

/** Requests being served now, by kind; the filter keeps them current, metrics read them when scraped. */
export interface InFlightCounts {
  readOnly: number;
  mutating: number;
}

export function withMaxInFlight(limits: InFlightLimits, current: InFlightCounts): Middleware<ApiState> {
  return async (ctx, next) => {
    const info = ctx.state.requestInfo;
    if (isLongRunning(info) || isHealthPath(ctx.path)) return next();
    const kind = isMutating(info) ? 'mutating' : 'readOnly';
    const max = kind === 'mutating' ? limits.maxMutating : limits.maxReadOnly;
    if (max > 0 && current[kind] >= max) throw newTooManyRequests('Too many requests, please try again later.', 1);
    current[kind]++;
    try {
      await next();
    } finally {
      current[kind]--;
    }
  };
}
