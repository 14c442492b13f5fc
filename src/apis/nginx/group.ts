/**
 * nginx.example.com as a server serves it: the group's Stores, and — once the
 * server listens — its controller in the same process, talking to the server
 * over HTTPS with the admin kubeconfig, when an nginx binary is available.
 */
import type { APIGroupDefinition } from '../../index';
import { defaultNginxControllerFlags, nginxControllerOptions, type NginxControllerFlags } from '../../controllers/nginx/flags';
import { runNginxController } from '../../controllers/nginx/start';
import { installNginxGroup } from '../../registry/nginx/install';
import { GROUP } from './types';

export function nginxGroup(controller: NginxControllerFlags = defaultNginxControllerFlags()): APIGroupDefinition {
  return {
    name: GROUP,
    install: (ctx) => [installNginxGroup(ctx)],
    async start(running) {
      if (!running.runsSingletonControllers) {
        running.logger.info('nginx controller off in this worker: another worker runs it');
        return;
      }
      const resolved = nginxControllerOptions(controller);
      if ('off' in resolved) {
        running.logger.info(`nginx controller off: ${resolved.off}`);
        return;
      }
      if (!running.kubeconfigPath) {
        running.logger.info('nginx controller off: the server wrote no admin kubeconfig (foreign client CA); run it apart with its own');
        return;
      }
      const logger = running.logger.child({ controller: 'nginx' });
      runNginxController({ kubeconfig: running.kubeconfigPath, options: resolved.options, logger, signal: running.server.shutdownSignal }).catch(
        (err: unknown) => logger.error({ err }, 'nginx controller stopped'),
      );
    },
  };
}
