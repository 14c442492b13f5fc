/**
 * The aggregator as a group a server can serve: apiregistration.k8s.io/v1
 * APIServices through the framework's Store, and once serving, a Local APIService
 * for each group/version served here, the availability controller, the handler
 * that merges discovery and proxies to backends, and the backends' content for
 * the namespace controller to delete.
 */
import { Store } from '../registry/store';
import type { Scheme } from '../runtime';
import type { APIGroupDefinition } from '../server/apiserver-builder';
import { ensureFrontProxyCertificates } from '../server/pki';
import { APIREGISTRATION_GROUP, APIService, APIServiceV1 } from './apiservice-types';
import { apiServiceStrategy } from './apiservice-strategy';
import { AvailabilityController } from './availability-controller';
import { aggregatorHandler } from './aggregator-handler';
import { registerLocalAPIServices } from './local-apiservices';
import { ensureNamespaceControllerRole } from './namespace-controller-role';
import { OpenAPIV2Aggregation } from './openapi-v2-aggregation';
import { remoteNamespacedContent } from './remote-content';
import { staticServiceResolver, type ServiceResolver } from './service-resolver';

export interface AggregatorOptions {
  /** Folder of the front-proxy credentials (`front-proxy-ca.*`, `front-proxy-client.*`), generated when missing. */
  certDir: string;
  /** Where services are dialled; default: their cluster DNS names. */
  serviceResolver?: ServiceResolver;
  /** How often every backend is probed; default 10 seconds (changes are probed at once). */
  availabilityIntervalMs?: number;
}

export function aggregatorGroup(options: AggregatorOptions): APIGroupDefinition {
  let store: Store<APIService> | undefined;
  let scheme: Scheme | undefined;
  return {
    name: APIREGISTRATION_GROUP,
    install(ctx) {
      scheme = ctx.scheme;
      ctx.scheme.addKnownTypes(APIService, APIServiceV1);
      const resource = ctx.scheme.resourceInfo({ group: APIREGISTRATION_GROUP, version: 'v1', resource: 'apiservices' });
      if (!resource) throw new Error('the APIService type did not register');
      store = new Store<APIService>({
        scheme: ctx.scheme,
        resource,
        storage: ctx.storageFor({ group: APIREGISTRATION_GROUP, resource: 'apiservices' }),
        strategy: apiServiceStrategy,
        admission: ctx.admission,
      });
      return [{ group: APIREGISTRATION_GROUP, scheme: ctx.scheme, versionedResources: { v1: { apiservices: store as Store, 'apiservices/status': store as Store } } }];
    },
    async start(running) {
      const frontProxy = await ensureFrontProxyCertificates(options.certDir, (msg) => running.logger.info(msg));
      const controller = new AvailabilityController({
        store: store!,
        resolver: options.serviceResolver ?? staticServiceResolver({}, { clusterDNS: true }),
        clientCertificate: frontProxy.client,
        logger: running.logger.child({ controller: 'apiservice-availability' }),
        signal: running.server.shutdownSignal,
        intervalMs: options.availabilityIntervalMs,
        // A namespace waiting for this APIService to delete its content need not wait for its next retry.
        onAvailable: () => running.namespaceController?.retryNow(),
      });
      const openAPIV2 = new OpenAPIV2Aggregation({ controller, logger: running.logger.child({ component: 'openapi-v2-aggregation' }) });
      running.server.use(aggregatorHandler(running.server, controller, openAPIV2));
      await registerLocalAPIServices(store!, scheme!, running.server.installedGroups());
      await controller.start();
      // Namespace deletion empties the servers behind the aggregator too, as kube's namespace controller does.
      if (running.namespaceController) {
        await ensureNamespaceControllerRole(running.server, scheme!, running.logger);
        running.namespaceController.addContentSource(
          remoteNamespacedContent({ services: () => controller.remoteServices(), localGroups: () => running.server.installedGroups(), onUnreachable: () => controller.requestSync() }),
        );
      }
    },
  };
}
