/**
 * /healthz, /livez and /readyz with kube-apiserver's body format: `ok`, `?verbose`
 * listing, `?exclude=`, per-check paths, and failing checks as `[-]name failed:
 * reason withheld` (the reason goes to the log only).
 */
import type { Context, Middleware } from 'koa';
import type { Logger } from 'pino';

export interface HealthCheck {
  name: string;
  check(): Promise<void> | void;
  /** Only /readyz runs it (e.g. shutdown). */
  readinessOnly?: boolean;
}

const CHECK_TIMEOUT_MS = 2000;

async function run(check: HealthCheck): Promise<Error | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      Promise.resolve().then(() => check.check()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS}ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return undefined;
  } catch (err) {
    return err as Error;
  } finally {
    clearTimeout(timer);
  }
}

const ENDPOINTS = ['healthz', 'livez', 'readyz'];

function textResponse(ctx: Context, status: number, body: string): void {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.type = 'text/plain; charset=utf-8';
  ctx.status = status;
  ctx.body = body;
}

async function serveAll(ctx: Context, endpoint: string, checks: HealthCheck[], logger: Logger): Promise<void> {
  const query = new URLSearchParams(ctx.querystring);
  const excluded = new Set(query.getAll('exclude'));
  const lines: string[] = [];
  let failed = false;
  for (const check of checks) {
    if (excluded.has(check.name)) {
      lines.push(`[+]${check.name} excluded: ok`);
      continue;
    }
    const err = await run(check);
    if (err) {
      failed = true;
      logger.warn({ check: check.name, err: err.message }, `${endpoint} check failed`);
      lines.push(`[-]${check.name} failed: reason withheld`);
    } else {
      lines.push(`[+]${check.name} ok`);
    }
  }
  const unknown = [...excluded].filter((name) => !checks.some((c) => c.name === name));
  if (unknown.length > 0) lines.push(`warn: some health checks cannot be excluded: no matches for ${unknown.map((n) => `"${n}"`).join(',')}`);
  if (failed) textResponse(ctx, 500, `${lines.join('\n')}\n${endpoint} check failed\n`);
  else if (query.has('verbose')) textResponse(ctx, 200, `${lines.join('\n')}\n${endpoint} check passed\n`);
  else textResponse(ctx, 200, 'ok');
}

/** Serves the three endpoints and their per-check paths (e.g. /readyz/storage). */
export function healthHandler(checks: () => HealthCheck[], logger: Logger): Middleware {
  return async (ctx, next) => {
    const [, endpoint, ...rest] = ctx.path.split('/');
    if (ctx.method !== 'GET' || !ENDPOINTS.includes(endpoint)) return next();
    const applicable = checks().filter((c) => endpoint === 'readyz' || !c.readinessOnly);
    if (rest.length === 0) return serveAll(ctx, endpoint, applicable, logger);
    const check = applicable.find((c) => c.name === rest.join('/'));
    if (!check) return textResponse(ctx, 404, '404 page not found\n');
    const err = await run(check);
    textResponse(ctx, err ? 500 : 200, err ? `internal server error: ${err.message}\n` : 'ok');
  };
}
