/**
 * The nginx controller: informers on Upstreams, Endpoints and VirtualServers
 * (list + watch through the API server, in this process or another), and one
 * sync loop that renders them, programs nginx and writes statuses back. Changes
 * arriving close together are handled in one sync; syncs never overlap. A
 * rejected configuration or a failed reload is tried again after a while.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { Informer, isNotFound, ResourceClient, Scheme, type KubeObject, type RESTClient } from '../../index';
import { install } from '../../apis/nginx/install';
import { EndpointV1, UpstreamV1, VirtualServerV1 } from '../../apis/nginx/v1/types';
import { ConfigDirectory } from './config-directory';
import { ConfigProgrammer, type ProgramOutcome } from './config-programmer';
import { desiredState, type DesiredState } from './desired-state';
import { objectKey } from './names';
import { NginxCommands, type NginxInvocation } from './nginx-commands';
import { endpointStatus, upstreamStatus, virtualServerStatus, type PlainStatus } from './status';

export interface NginxControllerOptions extends NginxInvocation {
  /** The directory the main nginx configuration includes (`include <dir>/*.conf;`). */
  configDir: string;
  /** The address the rendered `listen` directives bind; default every address. */
  listenAddress?: string;
  /** Changes within this time are programmed together. Default 100 ms. */
  debounceMs?: number;
  /** How soon a rejected configuration or a failed reload is tried again. Default 30 s. */
  retryMs?: number;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function abortion(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

export class NginxController {
  private readonly scheme = install(new Scheme());
  private readonly upstreams: Informer<UpstreamV1>;
  private readonly endpoints: Informer<EndpointV1>;
  private readonly virtualServers: Informer<VirtualServerV1>;
  private readonly clients: { upstreams: ResourceClient<UpstreamV1>; endpoints: ResourceClient<EndpointV1>; virtualServers: ResourceClient<VirtualServerV1> };
  private dirty = true;
  private wakeUp?: () => void;
  private retryTimer?: NodeJS.Timeout;
  /** What nginx refused in the last sync, so that each refusal is logged once. */
  private lastRejected: ReadonlyMap<string, string> = new Map();

  constructor(
    rest: RESTClient,
    private readonly options: NginxControllerOptions,
    private readonly logger: Logger,
  ) {
    this.clients = {
      upstreams: new ResourceClient(rest, this.scheme, UpstreamV1),
      endpoints: new ResourceClient(rest, this.scheme, EndpointV1),
      virtualServers: new ResourceClient(rest, this.scheme, VirtualServerV1),
    };
    const onError = (err: unknown) => this.logger.warn({ err }, 'watch failed; listing again');
    this.upstreams = this.informer(new Informer(this.clients.upstreams, { onError }));
    this.endpoints = this.informer(new Informer(this.clients.endpoints, { onError }));
    this.virtualServers = this.informer(new Informer(this.clients.virtualServers, { onError }));
  }

  /** Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const programmer = await ConfigProgrammer.open(new ConfigDirectory(this.options.configDir), new NginxCommands(this.options));
    const stopped = abortion(signal);
    const all = [this.upstreams, this.endpoints, this.virtualServers];
    const informers = all.map((i) => i.run(signal));
    await Promise.race([Promise.all(all.map((i) => i.waitForSync())), stopped]);
    this.logger.info({ configDir: this.options.configDir }, 'nginx controller started');
    while (!signal.aborted) {
      await Promise.race([this.changed(), stopped]);
      if (signal.aborted) break;
      await sleep(this.options.debounceMs ?? 100);
      this.dirty = false;
      try {
        await this.sync(programmer);
      } catch (err) {
        this.logger.error({ err }, 'nginx sync failed');
        this.retryLater();
      }
    }
    clearTimeout(this.retryTimer);
    await Promise.all(informers);
  }

  private informer<T extends KubeObject>(informer: Informer<T>): Informer<T> {
    const changed = () => this.markDirty();
    return informer.on('add', changed).on('update', changed).on('delete', changed);
  }

  private markDirty(): void {
    this.dirty = true;
    this.wakeUp?.();
  }

  /** Resolves once something changed since the last sync began. */
  private changed(): Promise<void> {
    if (this.dirty) return Promise.resolve();
    return new Promise<void>((resolve) => (this.wakeUp = resolve));
  }

  private retryLater(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.markDirty(), this.options.retryMs ?? 30_000);
    this.retryTimer.unref();
  }

  private async sync(programmer: ConfigProgrammer): Promise<void> {
    const desired = desiredState(
      { upstreams: this.upstreams.list(), endpoints: this.endpoints.list(), virtualServers: this.virtualServers.list() },
      { listenAddress: this.options.listenAddress },
    );
    const outcome = await programmer.program(desired.config);
    this.report(outcome);
    await this.writeStatuses(desired, outcome);
    if (outcome.rejected.size > 0 || outcome.reloadError !== undefined) this.retryLater();
  }

  private report(outcome: ProgramOutcome): void {
    for (const [file, error] of outcome.rejected) {
      if (this.lastRejected.get(file) !== error) this.logger.warn({ file, error }, 'nginx rejected a configuration file; keeping the last good one');
    }
    this.lastRejected = outcome.rejected;
    if (outcome.reloaded) this.logger.info({ files: outcome.loaded.size }, 'nginx reloaded');
    if (outcome.reloadError !== undefined) this.logger.warn({ error: outcome.reloadError }, 'nginx reload failed');
  }

  private async writeStatuses(desired: DesiredState, outcome: ProgramOutcome): Promise<void> {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    for (const plan of desired.upstreams.values()) {
      await this.writeStatus(this.clients.upstreams, plan.upstream as UpstreamV1, upstreamStatus(plan, outcome, now));
    }
    for (const plan of desired.virtualServers.values()) {
      const namespace = plan.virtualServer.metadata.namespace ?? '';
      const names = new Set(this.upstreams.list(namespace).map((u) => u.metadata.name ?? ''));
      await this.writeStatus(this.clients.virtualServers, plan.virtualServer as VirtualServerV1, virtualServerStatus(plan, outcome, names, now));
    }
    for (const endpoint of this.endpoints.list()) {
      await this.writeStatus(this.clients.endpoints, endpoint, endpointStatus(endpoint, desired.endpointUpstreams.get(objectKey(endpoint)) ?? []));
    }
  }

  /** Patches the status when it differs from the cached one; a vanished object needs none. */
  private async writeStatus<T extends KubeObject>(client: ResourceClient<T>, obj: T, status: PlainStatus): Promise<void> {
    const wanted = JSON.parse(JSON.stringify(status)) as PlainStatus;
    const current = (this.scheme.toPlain(obj).status ?? {}) as PlainStatus;
    if (isDeepStrictEqual(current, wanted)) return;
    // A merge patch replaces what it names; null removes what the new status no longer has.
    const patch: PlainStatus = { ...Object.fromEntries(Object.keys(current).map((k) => [k, null])), ...wanted };
    try {
      await client.inNamespace(obj.metadata.namespace ?? '').patch(obj.metadata.name ?? '', { status: patch }, { subresource: 'status' });
    } catch (err) {
      // A deleted object needs no status; anything else is worth knowing.
      if (!isNotFound(err)) this.logger.warn({ err, object: objectKey(obj) }, 'status not written');
    }
  }
}
