/**
 * Follows the core cluster's authentication ConfigMap, as k8s.io/apiserver's
 * request-header and client-CA ConfigMap controllers do: one read at start-up,
 * whose failure is the caller's to judge, then an informer on that one ConfigMap
 * applying each change as it comes. Settings that cannot be used are logged and
 * the ones in force stay; so does everything when the ConfigMap is deleted.
 */
import type { Logger } from 'pino';
import { isStatusError } from '../../api/status';
import { AUTHENTICATION_CONFIGMAP, parseAuthenticationConfigMap, type ClusterAuthenticationSettings } from '../../auth/authentication-configmap';
import type { ClientConfig } from '../../client/client-config';
import { DynamicResourceClient, type UnstructuredObject } from '../../client/dynamic-client';
import { Informer } from '../../client/informer';
import type { RESTClient } from '../../client/rest-client';
import { missingAuthenticationReaderMessage } from './authentication-reader-hint';
import { coreClusterUsername } from './core-cluster-identity';

const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true, kind: 'ConfigMap' };

export interface AuthenticationConfigMapControllerOptions {
  /** A client of the core cluster. */
  rest: RESTClient;
  /** The credentials `rest` uses, to name the user in a refusal. */
  clientConfig: ClientConfig;
  /** Puts settings in force; throws, changing nothing, when they cannot be used. */
  apply(settings: ClusterAuthenticationSettings): void;
  logger: Logger;
}

export class AuthenticationConfigMapController {
  private readonly configMaps: DynamicResourceClient;
  /** The data last applied, as JSON: an unchanged ConfigMap (a resync, a relist) is not applied again. */
  private applied?: string;

  constructor(private readonly options: AuthenticationConfigMapControllerOptions) {
    this.configMaps = new DynamicResourceClient(options.rest, CONFIGMAPS, AUTHENTICATION_CONFIGMAP.namespace);
  }

  /**
   * Reads the ConfigMap and applies it. A cluster without it has nothing to
   * trust yet (applied as empty); a refusal (403) rejects with a message naming
   * the missing RoleBinding; malformed settings and other failures reject too.
   */
  async readOnce(): Promise<void> {
    const { namespace, name } = AUTHENTICATION_CONFIGMAP;
    let configMap: UnstructuredObject | undefined;
    try {
      configMap = await this.configMaps.get(name);
    } catch (err) {
      if (isStatusError(err) && err.code === 404) {
        this.options.logger.warn(`the core cluster has no configmap ${namespace}/${name}: no front proxy is trusted until it appears`);
      } else if (isStatusError(err) && err.code === 403) {
        throw new Error(missingAuthenticationReaderMessage(await coreClusterUsername(this.options.rest, this.options.clientConfig), err.message));
      } else {
        throw new Error(`cannot read configmap ${namespace}/${name} from the core cluster: ${(err as Error).message}`);
      }
    }
    try {
      this.applyData(dataOf(configMap));
    } catch (err) {
      throw new Error(`configmap ${namespace}/${name} of the core cluster: ${(err as Error).message}`);
    }
  }

  /** Applies every change of the ConfigMap until the signal aborts. */
  run(signal: AbortSignal): void {
    const { namespace, name } = AUTHENTICATION_CONFIGMAP;
    const logger = this.options.logger;
    const informer = new Informer(this.configMaps, {
      fieldSelector: `metadata.name=${name}`,
      onError: (err) => logger.warn({ err: (err as Error).message }, `watching configmap ${namespace}/${name} of the core cluster failed; retrying`),
    });
    const onChange = (configMap: UnstructuredObject) => {
      try {
        this.applyData(dataOf(configMap));
      } catch (err) {
        logger.warn({ err: (err as Error).message }, `configmap ${namespace}/${name} of the core cluster changed but cannot be used; the previous settings stay`);
      }
    };
    informer.on('add', onChange).on('update', onChange);
    informer.on('delete', () => logger.warn(`configmap ${namespace}/${name} was deleted from the core cluster; the settings in force stay`));
    void informer.run(signal);
  }

  private applyData(data: Record<string, string> | undefined): void {
    const json = JSON.stringify(data ?? {});
    if (json === this.applied) return;
    this.options.apply(parseAuthenticationConfigMap(data));
    this.applied = json;
  }
}

function dataOf(configMap: UnstructuredObject | undefined): Record<string, string> | undefined {
  return configMap?.data as Record<string, string> | undefined;
}
