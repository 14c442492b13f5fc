/**
 * NamespaceLifecycle for a server aggregated behind a core cluster (--aggregated):
 * the namespaces are the core cluster's, reached with the credentials of
 * --authentication-kubeconfig, else --authorization-kubeconfig.
 */
import type { Logger } from 'pino';
import { loadClientConfig } from '../../client/client-config';
import { RESTClient } from '../../client/rest-client';
import { CoreClusterNamespaces } from '../../core/namespace/core-cluster-namespaces';
import { NamespaceLifecycle } from '../../core/namespace/lifecycle-admission';
import type { ServerRunOptions } from '../options';

export interface CoreClusterNamespaceLifecycle {
  plugin: NamespaceLifecycle;
  /** Follows the core cluster's namespaces until the signal aborts. */
  run(signal: AbortSignal): void;
  close(): void;
}

export function coreClusterNamespaceLifecycle(options: ServerRunOptions, logger: Logger): CoreClusterNamespaceLifecycle {
  const kubeconfig = options.authenticationKubeconfig ?? options.authorizationKubeconfig;
  if (!kubeconfig) throw new Error('--aggregated needs --authentication-kubeconfig or --authorization-kubeconfig, to check namespaces with the core cluster');
  const rest = new RESTClient(loadClientConfig(kubeconfig));
  const namespaces = new CoreClusterNamespaces(rest, logger.child({ component: 'core-cluster-namespaces' }));
  return { plugin: new NamespaceLifecycle(namespaces), run: (signal) => namespaces.run(signal), close: () => rest.close() };
}
