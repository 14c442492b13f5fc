/**
 * The core cluster's namespaces, for NamespaceLifecycle in a server aggregated
 * behind it (kube's admission plugin with its namespace informer): answers come
 * from an informer's cache, and a namespace the cache does not hold yet (just
 * created) is asked for with a live GET.
 */
import type { Logger } from 'pino';
import type { ObjectMeta } from '../../api/meta';
import { isNotFound, newInternalError, newNotFound } from '../../api/status';
import { DynamicResourceClient, type UnstructuredObject } from '../../client/dynamic-client';
import { Informer } from '../../client/informer';
import type { RESTClient } from '../../client/rest-client';
import type { NamespaceLookup } from './lifecycle-admission';

const NAMESPACES = { group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' };

export class CoreClusterNamespaces implements NamespaceLookup {
  private readonly client: DynamicResourceClient;
  private readonly informer: Informer<UnstructuredObject>;

  constructor(rest: RESTClient, logger: Logger) {
    this.client = new DynamicResourceClient(rest, NAMESPACES);
    this.informer = new Informer(this.client, {
      onError: (err) => logger.warn({ err: (err as Error).message }, 'watching the core cluster\'s namespaces failed; retrying'),
    });
  }

  /** Keeps the cache current until the signal aborts. */
  run(signal: AbortSignal): void {
    void this.informer.run(signal);
  }

  async lookupNamespace(name: string): Promise<ObjectMeta> {
    const cached = this.informer.get('', name);
    if (cached) return cached.metadata;
    try {
      return (await this.client.get(name)).metadata;
    } catch (err) {
      if (isNotFound(err)) throw newNotFound({ group: '', resource: 'namespaces' }, name);
      throw newInternalError(`cannot check namespace "${name}" with the core cluster: ${(err as Error).message}`);
    }
  }
}
