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
  stopOnSignal(await build().run(options));
}

function logReady(logger: Logger, url: string, kubeconfigPath: string | undefined, workers = 1): void {
  const kubeconfig = kubeconfigPath ? `kubectl --kubeconfig ${kubeconfigPath} api-resources` : 'kubectl with your own credentials';
  logger.info({ url, workers }, `ready: serving on ${url}; try: ${kubeconfig}`);
}

/** Says how to reach the server (a worker tells its primary instead), then stops it gracefully when asked to. */
function stopOnSignal(running: RunningServer): void {
  if (isSupervisedWorker()) reportReadyToPrimary(running.url);
  else logReady(running.logger, running.url, running.kubeconfigPath);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    running.logger.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        running.logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  onStopRequest(shutdown);
}
