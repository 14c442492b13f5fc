/**
 * A server as a program: built and run in this process, or with `--workers N` in
 * N worker processes this one supervises (see workers.ts). It says how to reach
 * the server, and stops it gracefully on SIGTERM or SIGINT; a second signal exits
 * at once.
 */
import pino, { type Logger } from 'pino';
import type { APIServerBuilder, RunningServer } from './apiserver-builder';
import type { ServerRunOptions } from './options';
import { isSupervisedWorker, isWorkersPrimary, onStopRequest, reportReadyToPrimary, superviseWorkers } from './workers';

export interface ServeOptions {
  /** Runs once before workers are forked, in the supervising process: for files every worker must share, made by one. */
  beforeWorkers?(): Promise<unknown>;
}

/** Serves what `build` assembles until the process is asked to stop; the process exits then. */
export async function serveUntilStopped(options: ServerRunOptions, build: () => APIServerBuilder, serveOptions: ServeOptions = {}): Promise<void> {
  if (isWorkersPrimary(options)) {
    await serveOptions.beforeWorkers?.();
    const logger = pino({ level: options.logLevel });
    process.exit(await superviseWorkers(options, logger, { onReady: (url, kubeconfigPath) => logReady(logger, url, kubeconfigPath, options.workers) }));
  }
  await serveHere(options, build);
}

function logReady(logger: Logger, url: string, kubeconfigPath: string | undefined, workers = 1): void {
  const kubeconfig = kubeconfigPath ? `kubectl --kubeconfig ${kubeconfigPath} api-resources` : 'kubectl with your own credentials';
  logger.info({ url, workers }, `ready: serving on ${url}; try: ${kubeconfig}`);
}

/**
 * Builds and runs the server in this process, says how to reach it (a worker
 * tells its primary instead), and stops it gracefully when asked to. Stop
 * requests are heard from the start: one that comes while the server is still
 * starting (it listens before its controllers start) stops it as soon as it
 * runs, instead of the signal killing the process half-started.
 */
async function serveHere(options: ServerRunOptions, build: () => APIServerBuilder): Promise<void> {
  let running: RunningServer | undefined;
  let stopReason: string | undefined;
  onStopRequest((reason) => {
    if (stopReason !== undefined) process.exit(1);
    stopReason = reason;
    if (running) stopAndExit(running, reason);
  });
  running = await build().run(options);
  if (stopReason !== undefined) return stopAndExit(running, stopReason);
  if (isSupervisedWorker()) reportReadyToPrimary(running.url);
  else logReady(running.logger, running.url, running.kubeconfigPath);
}

function stopAndExit(running: RunningServer, reason: string): void {
  running.logger.info({ signal: reason }, 'shutting down');
  running.stop().then(
    () => process.exit(0),
    (err: unknown) => {
      running.logger.error({ err }, 'shutdown failed');
      process.exit(1);
    },
  );
}
