/**
 * The controller of one federated type (a Federated<Kind>, or FederatedNamespace):
 * an informer on the host's federated objects and a work queue of them. For each
 * object it computes the selected clusters (its placement, narrowed by the
 * placement of the FederatedNamespace of its namespace when there is one),
 * renders the template with each cluster's overrides, lets the propagation
 * engine bring the members in line, and writes the outcome to the object's
 * status. A finalizer keeps a deleted object until every copy is gone.
 */
import type { Logger } from 'pino';
import { DynamicResourceClient, Informer, isConflict, type RESTClient, type UnstructuredObject } from '../../index';
import type { FederatedSpec, FederatedStatus } from '../../apis/federation/federated-types';
import { PROPAGATION_FINALIZER, TYPES_GROUP, VERSION, type ImmutableFieldPolicy } from '../../apis/federation/types';
import type { ClusterMonitor } from './cluster-monitor';
import type { FederationControllerOptions } from './options';
import { intersect, selectClusters } from './placement';
import type { PropagationEngine, TargetResource } from './propagation-engine';
import { propagationStatus, statusChanged } from './propagation-status';
import { renderForCluster, type RenderOutcome } from './render';
import { ignoreNotFound } from './host-errors';
import { WorkQueue } from './work-queue';

/** A federated type as its FederatedTypeConfig describes it. */
export interface FederatedType {
  /** The Federated<Kind> on the host, e.g. federatedupstreams. */
  plural: string;
  kind: string;
  namespaced: boolean;
  target: TargetResource;
  /** False: objects are only cleaned up when deleted, nothing is propagated. */
  propagation: boolean;
  immutableFieldPolicy: ImmutableFieldPolicy;
}

/** A federated object as the host sends it. */
export type FederatedPlain = UnstructuredObject & { spec?: FederatedSpec; status?: FederatedStatus };

export interface FederatedTypeControllerDeps {
  host: RESTClient;
  engine: PropagationEngine;
  clusters: ClusterMonitor;
  /** The clusters the FederatedNamespace of a namespace selects; undefined when it has none. */
  namespacePlacement?: (namespace: string) => Set<string> | undefined;
  /** Told the namespace of every federated object that changes on the host. */
  onObjectChange?: (namespace: string) => void;
  options: FederationControllerOptions;
  logger: Logger;
}

export class FederatedTypeController {
  /** The `<resource>.<group>` part of the origin of every copy this controller makes. */
  readonly originResource: string;
  private readonly client: DynamicResourceClient;
  private readonly informer: Informer<FederatedPlain>;
  private readonly queue: WorkQueue;

  constructor(
    private type: FederatedType,
    private readonly deps: FederatedTypeControllerDeps,
  ) {
    this.originResource = `${type.plural}.${TYPES_GROUP}`;
    this.client = new DynamicResourceClient(deps.host, { group: TYPES_GROUP, version: VERSION, plural: type.plural, namespaced: type.namespaced, kind: type.kind });
    this.informer = new Informer<FederatedPlain>(this.client, {
      onError: (err) => deps.logger.debug({ err }, 'federated object watch failed; listing again'),
    });
    const enqueue = (obj: FederatedPlain) => {
      this.queue.add(keyOf(obj));
      deps.onObjectChange?.(obj.metadata.namespace ?? '');
    };
    this.informer.on('add', enqueue).on('update', enqueue).on('delete', enqueue);
    this.queue = new WorkQueue({ retryInitialMs: deps.options.retryInitialMs, retryMaxMs: deps.options.retryMaxMs });
  }

  /** The type's configuration changed (policy, propagation on or off). */
  update(type: FederatedType): void {
    this.type = type;
    this.enqueueAll();
  }

  enqueueAll(): void {
    for (const obj of this.informer.list()) this.queue.add(keyOf(obj));
  }

  enqueueNamespace(namespace: string): void {
    for (const obj of this.informer.list(namespace)) this.queue.add(keyOf(obj));
  }

  /** A copy in a member changed: `namespace/name` of the federated object. */
  enqueueObject(namespace: string, name: string): void {
    this.queue.add(`${namespace}/${name}`);
  }

  /** The clusters an object's placement selects (for FederatedNamespaces, whose placement others inherit). */
  placementOf(namespace: string, name: string): Set<string> | undefined {
    const obj = this.informer.get(namespace, name);
    return obj ? selectClusters(obj.spec?.placement, this.deps.clusters.candidates()) : undefined;
  }

  async run(signal: AbortSignal): Promise<void> {
    const informer = this.informer.run(signal);
    await Promise.race([this.informer.waitForSync(), new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    await this.queue.run((key) => this.reconcile(key), signal, this.deps.options.workers, (key, err) => {
      const level = isConflict(err) ? 'debug' : 'warn';
      this.deps.logger[level]({ err, object: key, type: this.type.plural }, 'reconcile failed; trying again');
    });
    await informer;
  }

  private async reconcile(key: string): Promise<boolean> {
    const slash = key.indexOf('/');
    const [namespace, name] = [key.slice(0, slash), key.slice(slash + 1)];
    const obj = this.informer.get(namespace, name);
    if (!obj) return true;
    const deleting = Boolean(obj.metadata.deletionTimestamp);
    const finalizers = obj.metadata.finalizers ?? [];
    if (deleting ? !finalizers.includes(PROPAGATION_FINALIZER) : !this.type.propagation) return true;
    const client = this.type.namespaced ? this.client.inNamespace(namespace) : this.client;
    let current: FederatedPlain = obj;
    if (!deleting && !finalizers.includes(PROPAGATION_FINALIZER)) {
      current = await client.patch(name, { metadata: { finalizers: [...finalizers, PROPAGATION_FINALIZER], resourceVersion: obj.metadata.resourceVersion } });
    }
    const { target } = this.type;
    const result = await this.deps.engine.propagate({
      origin: `${this.originResource}/${namespace}/${name}`,
      target,
      name,
      namespace: target.namespaced ? namespace : undefined,
      desired: deleting ? new Map() : this.desired(current, namespace),
      previous: current.status?.clusters ?? [],
      immutableFieldPolicy: this.type.immutableFieldPolicy,
    });
    if (deleting && result.complete) {
      const rest = finalizers.filter((f) => f !== PROPAGATION_FINALIZER);
      await client.patch(name, { metadata: { finalizers: rest.length > 0 ? rest : null, resourceVersion: current.metadata.resourceVersion } }).catch(ignoreNotFound);
      return true;
    }
    const status = propagationStatus(current.status, result, current.metadata.generation, deleting);
    if (statusChanged(current.status, status)) await client.patch(name, { status }, { subresource: 'status' }).catch(ignoreNotFound);
    return result.complete;
  }

  /** What each selected cluster should hold. */
  private desired(obj: FederatedPlain, namespace: string): Map<string, RenderOutcome> {
    const spec = obj.spec ?? {};
    const { target } = this.type;
    const own = selectClusters(spec.placement, this.deps.clusters.candidates());
    const selected = target.namespaced ? intersect(own, this.deps.namespacePlacement?.(namespace)) : own;
    const desired = new Map<string, RenderOutcome>();
    for (const cluster of selected) {
      const overrides = spec.overrides?.find((o) => o.clusterName === cluster)?.clusterOverrides ?? [];
      desired.set(
        cluster,
        renderForCluster(spec.template ?? {}, overrides, {
          apiVersion: target.group ? `${target.group}/${target.version}` : target.version,
          kind: target.kind,
          name: obj.metadata.name ?? '',
          namespace: target.namespaced ? namespace : undefined,
          origin: `${this.originResource}/${namespace}/${obj.metadata.name ?? ''}`,
        }),
      );
    }
    return desired;
  }
}

function keyOf(obj: UnstructuredObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

