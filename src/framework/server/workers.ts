/**
 * `--workers N`: N processes serve one port through node:cluster. The primary
 * only accepts connections and hands them to the workers in turn; each worker
 * builds the same server, with its own watch cache, over the same storage (etcd,
 * or the SQLite file, whose watches see other processes' writes). The primary
 * prepares the certificates before forking and writes the admin kubeconfig once,
 * so that no two processes generate the same file; it restarts a worker that
 * dies, and on SIGTERM or SIGINT stops them all gracefully and exits once they
 * have.
 */
import cluster, { type Worker } from 'node:cluster';
import type { Logger } from 'pino';
import { ensureServerCertificates, writeAdminKubeconfig } from './admin-kubeconfig';
import type { ServerRunOptions } from './options';

/** Set in the environment of the workers a primary forks, so that a program's own use of node:cluster is left alone. */
const WORKER_ENV = 'APISERVER_KIT_WORKER';
/** Each worker's slot, 0 to N-1, kept by the worker that replaces it; slot 0 runs the singleton controllers. */
const SLOT_ENV = 'APISERVER_KIT_WORKER_SLOT';
const READY_MESSAGE = 'apiserver-kit:ready';
const KUBECONFIG_MESSAGE = 'apiserver-kit:kubeconfig';
/** A worker that dies sooner than this after its start is restarted after RESTART_DELAY_MS, not at once, so a crash loop does not spin. */
const SHORT_LIFE_MS = 10_000;
const RESTART_DELAY_MS = 1_000;

interface ReadyMessage {
  type: typeof READY_MESSAGE;
  url: string;
}

/** A worker asks for the kubeconfig with `url`; the primary answers with `path` or `error`. */
interface KubeconfigMessage {
  type: typeof KUBECONFIG_MESSAGE;
  url?: string;
  path?: string;
  error?: string;
}

function isMessage<M extends { type: string }>(type: M['type'], message: unknown): message is M {
  return typeof message === 'object' && message !== null && (message as M).type === type;
}

/** True in the process that must supervise workers rather than serve. */
export function isWorkersPrimary(options: Pick<ServerRunOptions, 'workers'>): boolean {
  return options.workers > 1 && cluster.isPrimary;
}

/** True in a worker that superviseWorkers forked. */
export function isSupervisedWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] === '1';
}

/**
 * Whether this process runs the controllers that must run once per server (such
 * as one that writes files or reloads a program): always when serving alone; of
 * N workers, the one in slot 0 (and whichever replaces it).
 */
export function runsSingletonControllers(): boolean {
  return !isSupervisedWorker() || process.env[SLOT_ENV] === '0';
}

/** In a worker: tells the primary this worker serves at `url`. Does nothing in a process serving alone. */
export function reportReadyToPrimary(url: string): void {
  if (isSupervisedWorker()) process.send?.({ type: READY_MESSAGE, url } satisfies ReadyMessage);
}

/**
 * In a worker: has the primary write the admin kubeconfig for `url` (once for all
 * workers) and resolves with its path, undefined when there is none to write.
 */
export function kubeconfigFromPrimary(url: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: unknown) => {
      if (!isMessage<KubeconfigMessage>(KUBECONFIG_MESSAGE, message)) return;
      process.off('message', onMessage);
      if (message.error) reject(new Error(`the primary could not write the admin kubeconfig: ${message.error}`));
      else resolve(message.path);
    };
    process.on('message', onMessage);
    process.send?.({ type: KUBECONFIG_MESSAGE, url } satisfies KubeconfigMessage);
  });
}

/**
 * Calls `handler` each time this serving process is asked to stop: on SIGINT or
 * SIGTERM when it serves alone; as a worker, on SIGTERM from the primary or when
 * the primary is gone. A worker ignores SIGINT: a terminal's Ctrl-C reaches the
 * whole process group, and the primary alone decides how its workers stop.
 */
export function onStopRequest(handler: (reason: string) => void): void {
  if (isSupervisedWorker()) {
    process.on('SIGINT', () => undefined);
    process.on('SIGTERM', () => handler('SIGTERM'));
    process.on('disconnect', () => handler('primary gone'));
    return;
  }
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

export interface SuperviseOptions {
  /** Called once, when the first worker serves and the kubeconfig (if any) is written. */
  onReady(url: string, kubeconfigPath: string | undefined): void;
}

/**
 * In the primary: prepares credentials, forks `options.workers` workers (each
 * re-runs this program and serves), and supervises them until a stop signal.
 * Resolves with the exit code for the primary: 0 when every worker stopped
 * cleanly, 1 otherwise (also when a worker fails before any serves, or on a
 * second stop signal, which kills the workers at once).
 */
export async function superviseWorkers(options: ServerRunOptions, logger: Logger, supervise: SuperviseOptions): Promise<number> {
  /** Each live worker's start time and slot. */
  const live = new Map<Worker, { startedAt: number; slot: number }>();
  let serving = false;
  let stopping = false;
  let failed = false;
  let settle: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (settle = resolve));

  const fork = (slot: number) => live.set(cluster.fork({ [WORKER_ENV]: '1', [SLOT_ENV]: String(slot) }), { startedAt: Date.now(), slot });
  const stop = (reason: string) => {
    if (stopping) {
      logger.warn({ reason }, 'stopping again: killing the workers');
      for (const worker of live.keys()) worker.process.kill('SIGKILL');
      settle(1);
      return;
    }
    stopping = true;
    logger.info({ reason, workers: live.size }, 'shutting down');
    if (live.size === 0) settle(failed ? 1 : 0);
    for (const worker of live.keys()) worker.process.kill('SIGTERM');
  };
  // Heard from the start, so that a stop while the certificates are prepared forks no worker.
  onStopRequest(stop);
  const pki = await ensureServerCertificates(options, (msg) => logger.info(msg));

  // Written once, when the first worker listens (only then is the URL known with --secure-port 0).
  let kubeconfig: Promise<string | undefined> | undefined;
  cluster.on('message', (worker, message: unknown) => {
    if (isMessage<KubeconfigMessage>(KUBECONFIG_MESSAGE, message) && message.url) {
      kubeconfig ??= writeAdminKubeconfig(options, pki, message.url, (msg) => logger.info(msg));
      kubeconfig.then(
        (path) => worker.send({ type: KUBECONFIG_MESSAGE, path } satisfies KubeconfigMessage),
        (err: unknown) => worker.send({ type: KUBECONFIG_MESSAGE, error: err instanceof Error ? err.message : String(err) } satisfies KubeconfigMessage),
      );
      return;
    }
    if (!isMessage<ReadyMessage>(READY_MESSAGE, message)) return;
    logger.info({ pid: worker.process.pid, url: message.url }, 'worker serving');
    if (serving || !kubeconfig) return;
    serving = true;
    void kubeconfig.then((path) => supervise.onReady(message.url, path));
  });
  cluster.on('exit', (worker, code, signal) => {
    const { startedAt, slot } = live.get(worker) ?? { startedAt: Date.now(), slot: 0 };
    live.delete(worker);
    if (stopping) {
      if (code !== 0) failed = true;
      if (live.size === 0) settle(failed ? 1 : 0);
      return;
    }
    if (!serving) {
      logger.error({ pid: worker.process.pid, code, signal }, 'a worker failed before serving');
      failed = true;
      stop('worker failed to start');
      return;
    }
    const lived = Date.now() - startedAt;
    logger.warn({ pid: worker.process.pid, code, signal }, 'worker exited; starting another');
    setTimeout(() => stopping || fork(slot), lived < SHORT_LIFE_MS ? RESTART_DELAY_MS : 0);
  });
  if (!stopping) for (let slot = 0; slot < options.workers; slot++) fork(slot);
  return exited;
}
