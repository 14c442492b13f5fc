/** Runs the federation controller against the host API server a kubeconfig names, until the signal aborts. */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { loadClientConfig, RESTClient, type Scheme } from '../../index';
import { FederationControllerManager } from './controller-manager';
import type { FederationControllerOptions } from './options';

export interface FederationControllerRun {
  kubeconfig: string;
  options: FederationControllerOptions;
  logger: Logger;
  signal: AbortSignal;
  /**
   * The kinds the controller converts: a member that serves another version of
   * such a kind than the template's gets it converted (the host server's Scheme).
   * Other kinds go to members in the template's version only.
   */
  targetScheme?: Scheme;
}

export async function runFederationController(run: FederationControllerRun): Promise<void> {
  const host = new RESTClient(loadClientConfig(run.kubeconfig));
  // Every informer and watch listens for the stop; there are many of them.
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  run.signal.addEventListener('abort', () => stop.abort(), { once: true });
  try {
    await new FederationControllerManager(host, run.options, run.logger, run.targetScheme).run(stop.signal);
  } finally {
    host.close();
  }
}
