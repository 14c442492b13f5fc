/**
 * Counts every response in the metrics and writes one structured log line for it
 * (verb, resource, user, code, latency). Runs just inside withRequestInfo, outside
 * error recovery, so it sees the final status code.
 */
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { ApiState } from '../../endpoints/scope';
import { requestLabels, type RequestLabels, type ServerMetrics } from '../metrics';
import { isLongRunning } from './long-running';

export function withRequestObservation(metrics: ServerMetrics, logger: Logger): Middleware<ApiState> {
  return async (ctx, next) => {
    const start = process.hrtime.bigint();
    const info = ctx.state.requestInfo;
    const querystring = ctx.querystring;
    const dryRun = querystring !== '' && /(?:^|&)dryRun=/.test(querystring);
    const labels = requestLabels(info, ctx.method, ctx.get('content-type'), dryRun);
    const gaugeLabels = isLongRunning(info) ? withoutDryRun(labels) : undefined;
    if (gaugeLabels) metrics.longRunning.inc(gaugeLabels);
    try {
      await next();
    } finally {
      if (gaugeLabels) metrics.longRunning.dec(gaugeLabels);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const code = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      metrics.requestDuration.observe(labels, seconds);
      // The same label object, now with the code: no copy per request.
      metrics.requestTotal.inc(Object.assign(labels, { code: String(code) }));
      if (logger.isLevelEnabled('info')) {
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
    }
  };
}

function withoutDryRun(labels: RequestLabels): Omit<RequestLabels, 'dry_run'> {
  const { dry_run: _dryRun, ...rest } = labels;
  return rest;
}
