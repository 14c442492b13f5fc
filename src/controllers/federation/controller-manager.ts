/**
 * The federation controller as a whole. It watches the host's MemberClusters
 * and does nothing else until there is one; then it campaigns for the Lease,
 * and while it leads it probes the members, runs a controller per established
 * FederatedTypeConfig and one for FederatedNamespaces, and the policy
 * controller, all over one propagation engine. Changes of the members (one
 * joins, leaves, becomes ready) and of the copies there send the objects
 * concerned back to their controllers.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { Informer, ResourceClient, Scheme, type RESTClient } from '../../index';
import { install } from '../../apis/federation/install';
import { TYPES_GROUP, VERSION } from '../../apis/federation/types';
import { FederatedTypeConfigV1alpha1, LeaseV1alpha1 } from '../../apis/federation/v1alpha1/types';
import { ClusterMonitor } from './cluster-monitor';
import { FederatedTypeController, type FederatedType } from './federated-type-controller';
import { LeaderElector } from './leader-election';
import type { FederationControllerOptions } from './options';
import { PolicyController } from './policy-controller';
import { PropagationEngine } from './propagation-engine';

export const LEASE_NAME = 'federation-controller';

const FEDERATED_NAMESPACES: FederatedType = {
  plural: 'federatednamespaces',
  kind: 'FederatedNamespace',
  namespaced: true,
  target: { group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' },
  propagation: true,
  immutableFieldPolicy: 'Report',
};

interface RunningTypeController {
  controller: FederatedTypeController;
  stop: AbortController;
  done: Promise<void>;
}

/** The federated type an established configuration stands for, if it is established. */
function federatedTypeOf(config: FederatedTypeConfigV1alpha1): FederatedType | undefined {
  const served = config.status?.federatedType;
  const target = config.spec?.targetType;
  if (!served || !target || config.metadata.deletionTimestamp) return undefined;
  return {
    plural: served.plural,
    kind: served.kind,
    namespaced: target.scope === 'Namespaced',
    target: { group: target.group ?? '', version: target.version, plural: target.plural, namespaced: target.scope === 'Namespaced', kind: target.kind },
    propagation: (config.spec?.propagation ?? 'Enabled') === 'Enabled',
    immutableFieldPolicy: config.spec?.immutableFieldPolicy ?? 'Report',
  };
}

export class FederationControllerManager {
  private readonly scheme = install(new Scheme());
  private readonly monitor: ClusterMonitor;
  private readonly engine: PropagationEngine;
  private readonly typeControllers = new Map<string, RunningTypeController>();
  private readonly namespaces: FederatedTypeController;
  private readonly policies: PolicyController;

  constructor(
    private readonly host: RESTClient,
    private readonly options: FederationControllerOptions,
    private readonly logger: Logger,
    /** The kinds converted for members that serve another version of them than the template's (the host's Scheme). */
    targetScheme?: Scheme,
  ) {
    const onManagedChange = (origin: string) => this.routeOrigin(origin);
    this.monitor = new ClusterMonitor(host, this.scheme, onManagedChange, options, logger.child({ component: 'member-clusters' }), targetScheme);
    this.engine = new PropagationEngine(this.monitor);
    const deps = { host, engine: this.engine, clusters: this.monitor, options };
    this.namespaces = new FederatedTypeController(FEDERATED_NAMESPACES, {
      ...deps,
      logger: logger.child({ component: 'federatednamespaces' }),
      onObjectChange: (namespace) => this.typeControllerList().forEach((c) => c.enqueueNamespace(namespace)),
    });
    this.policies = new PolicyController({ ...deps, scheme: this.scheme, logger: logger.child({ component: 'policies' }) });
    this.monitor.onClustersChanged(() => {
      for (const controller of this.allControllers()) controller.enqueueAll();
    });
  }

  /** Runs until the signal aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const informers = this.monitor.startInformers(signal);
    await this.monitor.waitForClusters(signal);
    if (!signal.aborted) {
      this.logger.info({ identity: this.options.identity }, 'member clusters are configured; campaigning to lead the federation controller');
      const leases = new ResourceClient(this.host, this.scheme, LeaseV1alpha1);
      const elector = new LeaderElector(
        leases,
        { leaseName: LEASE_NAME, identity: this.options.identity, leaseDurationMs: this.options.leaseDurationMs, renewIntervalMs: this.options.leaseRenewIntervalMs },
        this.logger,
      );
      await elector.run(signal, (leading) => this.lead(leading));
    }
    await informers;
  }

  private async lead(signal: AbortSignal): Promise<void> {
    setMaxListeners(0, signal);
    const typeConfigs = new Informer(new ResourceClient(this.host, this.scheme, FederatedTypeConfigV1alpha1), {
      onError: (err) => this.logger.debug({ err }, 'FederatedTypeConfig watch failed; listing again'),
    });
    const sync = () => this.syncTypeControllers(typeConfigs.list(), signal);
    typeConfigs.on('add', sync).on('update', sync).on('delete', sync);
    await Promise.all([
      this.monitor.run(signal),
      typeConfigs.run(signal),
      this.namespaces.run(signal),
      this.policies.run(signal),
    ]);
    await Promise.all([...this.typeControllers.values()].map((c) => c.done));
    this.typeControllers.clear();
  }

  /** One controller per established configuration, started, changed or stopped as they are. */
  private syncTypeControllers(configs: FederatedTypeConfigV1alpha1[], leading: AbortSignal): void {
    if (leading.aborted) return;
    const wanted = new Map<string, FederatedType>();
    for (const config of configs) {
      const type = federatedTypeOf(config);
      if (type) wanted.set(`${type.plural}.${TYPES_GROUP}`, type);
    }
    for (const [resource, running] of this.typeControllers) {
      if (wanted.has(resource)) continue;
      running.stop.abort();
      this.typeControllers.delete(resource);
    }
    for (const [resource, type] of wanted) {
      const running = this.typeControllers.get(resource);
      if (running) {
        running.controller.update(type);
        continue;
      }
      const controller = new FederatedTypeController(type, {
        host: this.host,
        engine: this.engine,
        clusters: this.monitor,
        options: this.options,
        namespacePlacement: (namespace) => this.namespaces.placementOf(namespace, namespace),
        logger: this.logger.child({ component: type.plural }),
      });
      const stop = new AbortController();
      leading.addEventListener('abort', () => stop.abort(), { once: true });
      this.typeControllers.set(resource, { controller, stop, done: controller.run(stop.signal) });
      this.logger.info({ type: `${type.plural}.${TYPES_GROUP}/${VERSION}` }, 'propagating a federated type');
    }
  }

  private typeControllerList(): FederatedTypeController[] {
    return [...this.typeControllers.values()].map((r) => r.controller);
  }

  private allControllers(): { enqueueAll(): void }[] {
    return [this.namespaces, this.policies, ...this.typeControllerList()];
  }

  /** A copy in a member changed: back to whoever made it (`<resource>.<group>/<namespace>/<name>`). */
  private routeOrigin(origin: string): void {
    const [resource, namespace, ...name] = origin.split('/');
    if (namespace === undefined || name.length === 0) return;
    const controller = resource === this.namespaces.originResource ? this.namespaces : this.typeControllers.get(resource)?.controller;
    if (controller) controller.enqueueObject(namespace, name.join('/'));
    else this.policies.enqueueOrigin(resource, namespace, name.join('/'));
  }
}
