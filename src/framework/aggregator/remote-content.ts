/**
 * The namespaced content of the servers behind the aggregator, for the namespace
 * controller: every namespaced resource that supports delete in each available
 * APIService's discovery (one version per group resource, the preferred one),
 * deleted and listed straight at the backend with the front-proxy identity of the
 * namespace controller. An APIService that is not available is a discovery
 * failure: its group's content cannot be deleted, so the namespace must wait.
 */
import type { NamespacedContent, NamespacedContentSource } from '../core/namespace/content';
import type { InstalledGroup } from '../server/discovery';
import { unavailableMessage, type ServiceState } from './availability-controller';
import { requestBackend, type Backend, type BackendResponse } from './backend';
import { frontProxyHeaders } from './front-proxy-headers';
import { remoteGroups } from './merged-discovery';
import { NAMESPACE_CONTROLLER_USER } from './namespace-controller-role';

const REQUEST_TIMEOUT_MS = 30_000;
const BACKGROUND_DELETION = Buffer.from(JSON.stringify({ kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }));

/** Where the remote content is found. */
export interface RemoteContentOptions {
  /** Every APIService with a backend service, as the availability controller knows it. */
  services: () => ServiceState[];
  /** The groups the aggregator serves itself; their APIServices are not proxied. */
  localGroups: () => InstalledGroup[];
  /** Called when a backend cannot be reached, so its availability is probed again at once. */
  onUnreachable: () => void;
}

export function remoteNamespacedContent(options: RemoteContentOptions): NamespacedContentSource {
  return async () => {
    const resources: NamespacedContent[] = [];
    const failedGroups = new Map<string, string>();
    const found = new Set<string>();
    for (const group of remoteGroups(options.services(), options.localGroups())) {
      // Most preferred version first, so a resource is taken from it.
      for (const state of group.services) {
        const version = state.apiService.spec!.version!;
        if (state.availability.status !== 'True' || !state.backend) {
          failedGroups.set(`${group.name}/${version}`, unavailableMessage(state));
          continue;
        }
        if (!state.discovery) {
          failedGroups.set(`${group.name}/${version}`, 'the server has not shown its resources to the aggregator');
          continue;
        }
        for (const r of state.discovery.resources) {
          if (r.scope !== 'Namespaced' || !r.verbs.includes('delete') || found.has(`${group.name}/${r.resource}`)) continue;
          found.add(`${group.name}/${r.resource}`);
          resources.push(new RemoteContent(state.backend, { group: group.name, version, resource: r.resource }, r.verbs, options.onUnreachable));
        }
      }
    }
    return { resources, failedGroups };
  };
}

interface ListedObject {
  metadata: { name: string; finalizers?: string[] };
}

class RemoteContent implements NamespacedContent {
  constructor(
    private readonly backend: Backend,
    readonly resource: NamespacedContent['resource'],
    private readonly verbs: string[],
    /** Called when the backend cannot be reached, so its availability is probed again at once. */
    private readonly onUnreachable: () => void,
  ) {}

  async deleteAll(namespace: string): Promise<void> {
    if (this.verbs.includes('deletecollection')) {
      const res = await this.send('DELETE', this.path(namespace), BACKGROUND_DELETION);
      if (isSuccess(res)) return;
      if (!isUnsupported(res)) throw failure(res);
    }
    for (const item of (await this.list(namespace)) ?? []) {
      const res = await this.send('DELETE', this.path(namespace, item.metadata.name), BACKGROUND_DELETION);
      if (!isSuccess(res) && !isUnsupported(res)) throw failure(res);
    }
  }

  async remaining(namespace: string): Promise<string[][] | undefined> {
    return (await this.list(namespace))?.map((item) => item.metadata.finalizers ?? []);
  }

  /** The objects in the namespace; undefined when the resource cannot be listed. */
  private async list(namespace: string): Promise<ListedObject[] | undefined> {
    if (!this.verbs.includes('list')) return undefined;
    const res = await this.send('GET', this.path(namespace));
    if (isUnsupported(res)) return undefined;
    if (!isSuccess(res)) throw failure(res);
    return (JSON.parse(res.body.toString('utf8')) as { items?: ListedObject[] }).items ?? [];
  }

  private path(namespace: string, name?: string): string {
    const { group, version, resource } = this.resource;
    const collection = `/apis/${group}/${version}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
    return name === undefined ? collection : `${collection}/${encodeURIComponent(name)}`;
  }

  private async send(method: string, path: string, body?: Buffer): Promise<BackendResponse> {
    const headers = { accept: 'application/json', ...(body ? { 'content-type': 'application/json' } : {}), ...frontProxyHeaders(NAMESPACE_CONTROLLER_USER) };
    try {
      return await requestBackend(this.backend, path, { method, headers, body, timeoutMs: REQUEST_TIMEOUT_MS });
    } catch (err) {
      this.onUnreachable();
      throw new Error(`error trying to reach service: ${(err as Error).message}`);
    }
  }
}

function isSuccess(res: BackendResponse): boolean {
  return res.status >= 200 && res.status < 300;
}

/** 404 and 405: the resource does not offer the verb after all (kube treats both alike). */
function isUnsupported(res: BackendResponse): boolean {
  return res.status === 404 || res.status === 405;
}

/** The backend's Status message, or its status code when it sent none. */
function failure(res: BackendResponse): Error {
  try {
    const status = JSON.parse(res.body.toString('utf8')) as { message?: string };
    if (status.message) return new Error(status.message);
  } catch {
    // not a Status
  }
  return new Error(`the server responded with the status code ${res.status}`);
}
