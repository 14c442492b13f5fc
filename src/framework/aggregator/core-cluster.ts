/**
 * A core cluster for the servers behind it, as group definitions for the
 * builder: ConfigMaps in the core group, the authentication ConfigMap and roles
 * aggregated servers rely on, and the aggregator. Namespaces, TokenReview and
 * SubjectAccessReview come with every server, RBAC with `--authorization-mode=RBAC`.
 */
import path from 'node:path';
import { configMapGroup } from '../core/configmap/install';
import type { Scheme } from '../runtime';
import type { APIGroupDefinition } from '../server/apiserver-builder';
import { parseRunOptions, type ServerRunOptions } from '../server/options';
import { ensureFrontProxyCertificates, FRONT_PROXY_CLIENT_NAME } from '../server/pki';
import { AUTHENTICATION_CONFIGMAP } from '../auth/authentication-configmap';
import { ClusterAuthenticationTrustController } from './cluster-authentication';
import { ensureExtensionServerRoles } from './extension-server-roles';
import { FRONT_PROXY_HEADERS } from './front-proxy-headers';
import { installedStore } from './installed-store';
import { aggregatorGroup, type AggregatorOptions } from './install';
import { staticServiceResolver, takeServiceEndpointFlags, type ServiceResolver } from './service-resolver';

export interface CoreClusterOptions extends AggregatorOptions {
  /** The server's `--client-ca-file`, published as `client-ca-file`; default the CA generated in certDir. */
  clientCAFile?: string;
  /** How often the authentication ConfigMap is checked against the CA files; default one minute. */
  authenticationResyncIntervalMs?: number;
}

/**
 * A core cluster's command line: the server's flags, with RBAC authorization
 * unless `--authorization-mode` says otherwise (aggregated servers are bound to
 * its roles), and `--service-endpoint <namespace>/<name>=<host>:<port>` for
 * services it cannot find by cluster DNS name.
 */
export function parseCoreClusterArgs(argv: string[]): { options: ServerRunOptions; serviceResolver: ServiceResolver } {
  const { endpoints, rest } = takeServiceEndpointFlags(argv);
  return { options: parseRunOptions(['--authorization-mode', 'RBAC', ...rest]), serviceResolver: staticServiceResolver(endpoints, { clusterDNS: true }) };
}

/** The definitions to hand `APIServerBuilder.withGroup`, in order. */
export function coreClusterGroups(options: CoreClusterOptions): APIGroupDefinition[] {
  return [configMapGroup(), extensionAuthenticationGroup(options), aggregatorGroup(options)];
}

/** Writes and maintains the authentication ConfigMap, and creates the roles that read it and delegate to this server. */
function extensionAuthenticationGroup(options: CoreClusterOptions): APIGroupDefinition {
  let scheme: Scheme | undefined;
  return {
    name: AUTHENTICATION_CONFIGMAP.name,
    install(ctx) {
      scheme = ctx.scheme;
      return [];
    },
    async start(running) {
      const configMaps = installedStore(running.server, '', 'configmaps');
      if (!configMaps) throw new Error('the core cluster needs ConfigMaps (configMapGroup) to publish its authentication settings');
      const frontProxy = await ensureFrontProxyCertificates(options.certDir, (msg) => running.logger.info(msg));
      const controller = new ClusterAuthenticationTrustController({
        auth: {
          // Where the server keeps the client CA it generates when given none.
          clientCAFile: options.clientCAFile ?? path.join(options.certDir, 'ca.crt'),
          requestHeader: {
            clientCAFile: frontProxy.caFile,
            allowedNames: [FRONT_PROXY_CLIENT_NAME],
            usernameHeaders: [FRONT_PROXY_HEADERS.user],
            groupHeaders: [FRONT_PROXY_HEADERS.group],
            extraHeaderPrefixes: [FRONT_PROXY_HEADERS.extraPrefix],
            uidHeaders: [FRONT_PROXY_HEADERS.uid],
          },
        },
        configMaps,
        scheme: scheme!,
        logger: running.logger.child({ controller: 'cluster-authentication-trust' }),
        signal: running.server.shutdownSignal,
        resyncIntervalMs: options.authenticationResyncIntervalMs,
      });
      await controller.start();
      await ensureExtensionServerRoles(running.server, scheme!, running.logger);
    },
  };
}
