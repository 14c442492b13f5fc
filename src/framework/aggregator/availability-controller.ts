/**
 * Keeps, for every APIService, where its group/version is served and whether that
 * server answers: it probes each backend's discovery of the group/version (with
 * the front-proxy identity), records the answer for merged discovery, and sets the
 * APIService's Available condition with a reason and message. It syncs at an
 * interval, at once on any APIService change, and when asked (a backend the proxy
 * could not reach).
 */
import type { Logger } from 'pino';
import type { Condition } from '../api/meta';
import { newRequestContext } from '../registry/context';
import type { Store } from '../registry/store';
import type { CertKeyPair } from '../server/pki';
import type { APIVersionDiscovery } from '../server/discovery-aggregated';
import { AVAILABLE_CONDITION, type APIService } from './apiservice-types';
import { backendFor, requestBackend, type Backend } from './backend';
import { frontProxyHeaders } from './front-proxy-headers';
import { versionDiscoveryFromResourceList, type APIResourceList } from './remote-discovery';
import type { ServiceResolver } from './service-resolver';

/** kube-apiserver gives discovery 5 seconds; a probe that takes longer fails. */
const PROBE_TIMEOUT_MS = 5000;
/** How soon an unavailable backend is probed again. */
const UNAVAILABLE_RETRY_MS = 1000;
/** The identity of probes, as kube-aggregator's discovery uses it: a backend must show it every resource. */
const PROBE_USER = { username: 'system:kube-aggregator', groups: ['system:masters'] };

export interface Availability {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** What the aggregator knows of one APIService. */
export interface ServiceState {
  apiService: APIService;
  /** Absent for a local APIService and for a service that cannot be resolved. */
  backend?: Backend;
  availability: Availability;
  /** The last discovery the backend answered; kept (as stale) while it is down. */
  discovery?: Omit<APIVersionDiscovery, 'freshness'>;
}

export interface AvailabilityControllerOptions {
  store: Store<APIService>;
  resolver: ServiceResolver;
  clientCertificate: CertKeyPair;
  logger: Logger;
  signal: AbortSignal;
  /** How often every backend is probed; default 10 seconds. */
  intervalMs?: number;
  /** Called when an APIService with a backend turns available (what waited on it can go on). */
  onAvailable?: (apiService: string) => void;
}

export class AvailabilityController {
  private states = new Map<string, ServiceState & { specKey: string }>();
  private wake?: () => void;
  private syncRequested = false;

  constructor(private readonly options: AvailabilityControllerOptions) {}

  /** The state of the APIService serving `<group>/<version>`, if one is registered. */
  serviceFor(group: string, version: string): ServiceState | undefined {
    return this.states.get(`${version}.${group}`);
  }

  /** Every registered APIService with a backend service, by name. */
  remoteServices(): ServiceState[] {
    return [...this.states.values()].filter((s) => s.apiService.spec?.service);
  }

  /** Probes again soon, e.g. after a proxied request could not reach its backend. */
  requestSync(): void {
    this.syncRequested = true;
    this.wake?.();
  }

  /** Syncs now, then until the signal aborts; resolves after the first sync. */
  async start(): Promise<void> {
    await this.sync();
    void this.watchForChanges();
    void this.loop();
  }

  private async loop(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      // A request made while the last sync ran is served without waiting.
      if (!this.syncRequested) await this.nextSync(signal);
      this.syncRequested = false;
      if (signal.aborted) break;
      await this.sync().catch((err: Error) => this.options.logger.warn({ err: err.message }, 'APIService availability sync failed'));
    }
    for (const state of this.states.values()) state.backend?.agent.destroy();
  }

  /** Resolves at the next interval, when a sync is requested, or on shutdown. */
  private nextSync(signal: AbortSignal): Promise<void> {
    const interval = this.options.intervalMs ?? 10_000;
    // A backend that is down is retried often, so it is back in use soon after it returns.
    const down = [...this.states.values()].some((s) => s.availability.status !== 'True');
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, down ? Math.min(interval, UNAVAILABLE_RETRY_MS) : interval);
      this.wake = done;
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async watchForChanges(): Promise<void> {
    const { signal, store } = this.options;
    while (!signal.aborted) {
      try {
        const watcher = await store.watch(newRequestContext(), {});
        const stop = () => watcher.stop();
        signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const event of watcher) {
            // Our own status writes come back as events; only spec and lifecycle changes matter.
            const known = this.states.get(event.object.metadata.name ?? '');
            if (event.type === 'BOOKMARK' || (event.type === 'MODIFIED' && known?.specKey === specKeyOf(event.object as unknown as APIService))) continue;
            this.requestSync();
          }
        } finally {
          signal.removeEventListener('abort', stop);
        }
      } catch (err) {
        if (!signal.aborted) this.options.logger.warn({ err: (err as Error).message }, 'APIService watch ended; restarting');
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }

  /** Resolves, probes and records every APIService, and writes changed conditions. */
  async sync(): Promise<void> {
    const { items } = await this.options.store.list(newRequestContext());
    const seen = new Set<string>();
    await Promise.all(
      items.map(async (item) => {
        const apiService = item as unknown as APIService;
        const name = apiService.metadata.name!;
        seen.add(name);
        const previous = this.states.get(name);
        const state = await this.observe(apiService, previous);
        this.states.set(name, state);
        if (state.backend && state.availability.status === 'True' && previous?.availability.status !== 'True') this.options.onAvailable?.(name);
        await this.writeCondition(apiService, state.availability);
      }),
    );
    for (const [name, state] of this.states) {
      if (seen.has(name)) continue;
      state.backend?.agent.destroy();
      this.states.delete(name);
    }
  }

  private async observe(apiService: APIService, previous: (ServiceState & { specKey: string }) | undefined): Promise<ServiceState & { specKey: string }> {
    const specKey = specKeyOf(apiService);
    if (!apiService.spec?.service) {
      return { apiService, specKey, availability: { status: 'True', reason: 'Local', message: 'Local APIServices are always available' } };
    }
    let backend = previous?.specKey === specKey ? previous.backend : undefined;
    if (!backend) {
      if (previous?.specKey !== specKey) previous?.backend?.agent.destroy();
      const resolved = backendFor(apiService, this.options.resolver, this.options.clientCertificate);
      if (!('backend' in resolved)) {
        return { apiService, specKey, availability: { status: 'False', reason: resolved.reason, message: resolved.message } };
      }
      backend = resolved.backend;
    }
    const discovery = previous?.specKey === specKey ? previous.discovery : undefined;
    const probe = await probeBackend(backend);
    return { apiService, specKey, backend, availability: probe.availability, discovery: probe.discovery ?? discovery };
  }

  private async writeCondition(apiService: APIService, availability: Availability): Promise<void> {
    const current = apiService.status?.conditions?.find((c) => c.type === AVAILABLE_CONDITION);
    if (current?.status === availability.status && current.reason === availability.reason && current.message === availability.message) return;
    const condition: Condition = {
      type: AVAILABLE_CONDITION,
      ...availability,
      lastTransitionTime: current?.status === availability.status && current.lastTransitionTime ? current.lastTransitionTime : new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    };
    await this.options.store
      .update(newRequestContext(), apiService.metadata.name!, {
        subresource: 'status',
        objInfo: (obj) => {
          const next = obj!;
          const others = next.status?.conditions?.filter((c) => c.type !== AVAILABLE_CONDITION) ?? [];
          next.status = { ...next.status, conditions: [...others, condition] };
          return next;
        },
      })
      .catch((err: Error) => this.options.logger.warn({ apiService: apiService.metadata.name, err: err.message }, 'cannot update APIService status'));
  }
}

/** What a client is told about an APIService that is not available (the proxy's 503, discovery failures). */
export function unavailableMessage(state: ServiceState): string {
  return `the server is currently unable to handle the request (${state.apiService.metadata.name} is not available: ${state.availability.message})`;
}

function specKeyOf(apiService: APIService): string {
  return JSON.stringify(apiService.spec ?? {});
}

/**
 * GET /apis/<group>/<version> on the backend: 200 with its resources is available;
 * 401 and 403 still prove a server that answers; anything else, or no answer in
 * time, is not.
 */
async function probeBackend(backend: Backend): Promise<{ availability: Availability; discovery?: ServiceState['discovery'] }> {
  const url = new URL(`/apis/${backend.groupVersion}`, backend.baseURL);
  const failing = (why: string): { availability: Availability } => ({
    availability: { status: 'False', reason: 'FailedDiscoveryCheck', message: `failing or missing response from ${url.href}: ${why}` },
  });
  try {
    const { status, body } = await requestBackend(backend, url.pathname, { headers: { accept: 'application/json', ...frontProxyHeaders(PROBE_USER) }, timeoutMs: PROBE_TIMEOUT_MS });
    if (status === 401 || status === 403) return { availability: { status: 'True', reason: 'Passed', message: 'all checks passed' } };
    if (status !== 200) return failing(`bad status ${status}`);
    const discovery = versionDiscoveryFromResourceList(JSON.parse(body.toString('utf8')) as APIResourceList);
    return { availability: { status: 'True', reason: 'Passed', message: 'all checks passed' }, discovery };
  } catch (err) {
    return failing((err as Error).message);
  }
}
