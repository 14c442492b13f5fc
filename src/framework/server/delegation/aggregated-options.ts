/**
 * What --aggregated makes of the other options: inside a cluster, without
 * --authentication-kubeconfig and --authorization-kubeconfig, both are the
 * in-cluster configuration (as in k8s.io/apiserver); and warnings for settings
 * that leave a server behind a core cluster open or unreachable.
 */
import path from 'node:path';
import type { Logger } from 'pino';
import type { ServerRunOptions } from '../options';
import { writeInClusterKubeconfig, type InClusterEnvironment } from './in-cluster';

export function aggregatedOptions(options: ServerRunOptions, logger: Logger, where?: InClusterEnvironment): ServerRunOptions {
  if (!options.aggregated) return options;
  let resolved = options;
  if (!options.authenticationKubeconfig && !options.authorizationKubeconfig) {
    const file = path.join(options.dataDir, 'in-cluster.kubeconfig');
    if (writeInClusterKubeconfig(file, where)) {
      logger.info({ kubeconfig: file }, 'reaching the core cluster with the in-cluster service account');
      resolved = { ...options, authenticationKubeconfig: file, authorizationKubeconfig: file };
    }
  }
  if (!resolved.authenticationKubeconfig && !resolved.requestHeaderClientCAFile) {
    logger.warn('--aggregated without --authentication-kubeconfig or --requestheader-client-ca-file: no front proxy is trusted, so requests through the core cluster are not authenticated');
  }
  if (resolved.authorizationMode.includes('AlwaysAllow')) {
    logger.warn('--aggregated with --authorization-mode AlwaysAllow: whoever the front proxy names may do anything; --authorization-mode Webhook asks the core cluster');
  }
  return resolved;
}
