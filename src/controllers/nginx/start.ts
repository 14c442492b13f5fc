/** Runs the nginx controller against the API server a kubeconfig names, until the signal aborts. */
import type { Logger } from 'pino';
import { loadClientConfig, RESTClient } from '../../index';
import { NginxController, type NginxControllerOptions } from './controller';

export interface NginxControllerRun {
  kubeconfig: string;
  options: NginxControllerOptions;
  logger: Logger;
  signal: AbortSignal;
}

export async function runNginxController(run: NginxControllerRun): Promise<void> {
  const rest = new RESTClient(loadClientConfig(run.kubeconfig));
  try {
    await new NginxController(rest, run.options, run.logger).run(run.signal);
  } finally {
    rest.close();
  }
}
