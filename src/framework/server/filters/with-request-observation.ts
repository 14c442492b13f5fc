/**
 * Counts every response in the metrics and writes one structured log line for it
 * (verb, resource, user, code, latency). Runs just inside withRequestInfo, outside
 * error recovery, so it sees the final status code.
 */
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ApiState } from '../../endpoints/scope';
import { requestLabels, type ServerMetrics } from '../metrics';
import { isLongRunning } from './long-running';

export function withRequestObservation(metrics: ServerMetrics, logger: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    const info = ctx.state.requestInfo;
    const labels = requestLabels(info, ctx.method, ctx.get('content-type'), /[?&]dryRun=/.test(`?${ctx.querystring}`));
    const { dry_run: _dryRun, ...gaugeLabels } = labels;
    const longRunning = isLongRunning(info);
    if (longRunning) metrics.longRunning.inc(gaugeLabels);
    try {
      await next();
    } finally {
      if (longRunning) metrics.longRunning.dec(gaugeLabels);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const code = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      metrics.requestTotal.inc({ ...labels, code: String(code) });
      metrics.requestDuration.observe(labels, seconds);
      logger.info(
        {
          verb: labels.verb,
          path: ctx.path,
          namespace: info.isResourceRequest ? info.namespace || undefined : undefined,
          user: ctx.state.user?.username,
          code,
          latencyMs: Math.round(seconds * 1e4) / 10,
        },
        'request',
      );
    }
  };
}
