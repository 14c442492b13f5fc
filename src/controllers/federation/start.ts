/** Runs the federation controller against the host API server a kubeconfig names, until the signal aborts. */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { loadClientConfig, RESTClient } from '../../index';
import { FederationControllerManager } from './controller-manager';
import type { FederationControllerOptions } from './options';

export interface FederationControllerRun {
  kubeconfig: string;
  options: FederationControllerOptions;
  logger: Logger;
  signal: AbortSignal;
}

export async function runFederationController(run: FederationControllerRun): Promise<void> {
  const host = new RESTClient(loadClientConfig(run.kubeconfig));
  // Every informer and watch listens for the stop; there are many of them.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  run.signal.addEventListener('abort', () => stop.abort(), { once: true });
  try {
    await new FederationControllerManager(host, run.options, run.logger).run(stop.signal);
  } finally {
    host.close();
  }
}
