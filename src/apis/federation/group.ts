/**
 * federation.example.com as a server serves it: the group's Stores and
 * types.federation.example.com, whose Federated<Kind> resources follow the
 * FederatedTypeConfigs once the server listens; and, in the same process, the
 * federation controller talking to the server over HTTPS with the admin
 * kubeconfig. The controller idles until a MemberCluster is configured. It
 * converts the kinds the server's Scheme knows for members that serve another
 * version of them.
 */
import type { APIGroupDefinition, Scheme } from '../../index';
import { defaultFederationControllerOptions, type FederationControllerOptions } from '../../controllers/federation/options';
import { runFederationController } from '../../controllers/federation/start';
import { installFederationGroups, type InstalledFederation } from '../../registry/federation/install';
import { GROUP } from './types';

export interface FederationGroupOptions {
  /** false: serve the API only (run the controller elsewhere). Default: on, with the default pacing. */
  controller?: Partial<FederationControllerOptions> | false;
}

export function federationGroup(options: FederationGroupOptions = {}): APIGroupDefinition {
  let installed: InstalledFederation | undefined;
  let scheme: Scheme | undefined;
  return {
    name: GROUP,
    install(ctx) {
      scheme = ctx.scheme;
      installed = installFederationGroups(ctx);
      return installed.groups;
    },
    async start(running) {
      const signal = running.server.shutdownSignal;
      void installed?.typeInstaller.run(running.server, signal);
      if (options.controller === false) return;
      if (!running.kubeconfigPath) {
        running.logger.info('federation controller off: the server wrote no admin kubeconfig (foreign client CA); run it apart with its own');
        return;
      }
      const logger = running.logger.child({ controller: 'federation' });
      const controllerOptions = { ...defaultFederationControllerOptions(), ...options.controller };
      runFederationController({ kubeconfig: running.kubeconfigPath, options: controllerOptions, logger, signal, targetScheme: scheme }).catch((err: unknown) =>
        logger.error({ err }, 'federation controller stopped'),
      );
    },
  };
}
