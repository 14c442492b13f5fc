/**
 * Propagation by policy: ordinary host objects, applied with kubectl as they
 * are, go to member clusters when a PropagationPolicy or ClusterPropagationPolicy
 * selects them, with the overrides of the OverridePolicies and
 * ClusterOverridePolicies that select them. It watches every kind a policy (or
 * a remaining binding) names, resolved through the host's discovery; renders
 * each selected object and hands it to the same propagation engine as the
 * federated types; records the outcome in a ResourceBinding (ClusterResourceBinding
 * for cluster-scoped objects) named `<name>-<kind>`; and keeps a finalizer on
 * the object so that deleting it, or a policy no longer selecting it, removes
 * its copies first.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import {
  DynamicResourceClient,
  Informer,
  isConflict,
  parseApiVersion,
  ResourceClient,
  type KubeObject,
  type RESTClient,
  type Scheme,
  type UnstructuredObject,
} from '../../index';
import { GROUP, PROPAGATION_FINALIZER, VERSION, type Placement } from '../../apis/federation/types';
import { ClusterOverridePolicyV1alpha1, ClusterPropagationPolicyV1alpha1, OverridePolicyV1alpha1, PropagationPolicyV1alpha1 } from '../../apis/federation/v1alpha1/types';
import type { ResourceBindingSpec, ResourceBindingStatus } from '../../apis/federation/policy-types';
import type { ClusterMonitor } from './cluster-monitor';
import type { FederationControllerOptions } from './options';
import { selectClusters } from './placement';
import { matchPropagationPolicy, overridesFor } from './policy-selection';
import type { PropagationEngine, PropagationResult, TargetResource } from './propagation-engine';
import { propagationStatus, statusChanged } from './propagation-status';
import { renderForCluster, type RenderOutcome } from './render';
import { ignoreNotFound } from './host-errors';
import { WorkQueue } from './work-queue';

/** kubectl's record of the last applied configuration: the host's business, not the members'. */
const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export interface PolicyControllerDeps {
  host: RESTClient;
  scheme: Scheme;
  engine: PropagationEngine;
  clusters: ClusterMonitor;
  options: FederationControllerOptions;
  logger: Logger;
}

/** A host resource whose objects policies may select. */
interface WatchedResource {
  target: TargetResource;
  apiVersion: string;
  informer: Informer<UnstructuredObject>;
}

interface APIResourceListBody {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** The host object a binding is about. */
interface BoundObject {
  target: TargetResource;
  apiVersion: string;
  obj?: UnstructuredObject;
  namespace: string;
  name: string;
  /** The clusters the policy's placement selects. */
  selected: string[];
}

const kindKey = (apiVersion: string, kind: string) => `${apiVersion}|${kind}`;

/** How a resource is named in origins: `<plural>.<group>`, or `<plural>` in the core group. */
function resourceKeyOf(target: TargetResource): string {
  return target.group ? `${target.plural}.${target.group}` : target.plural;
}

function bindingName(name: string, kind: string): string {
  return `${name}-${kind.toLowerCase()}`;
}

/** The object as its members get it: without identity, server-set metadata and status. */
function templateOf(obj: UnstructuredObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, metadata, status: _s, ...fields } = obj;
  const annotations = { ...metadata.annotations };
  delete annotations[LAST_APPLIED_ANNOTATION];
  return { ...fields, metadata: { labels: metadata.labels, annotations } };
}

/** A ResourceBinding or ClusterResourceBinding as the host sends it. */
type BindingPlain = UnstructuredObject & { spec?: ResourceBindingSpec; status?: ResourceBindingStatus };

const BINDINGS = { group: GROUP, version: VERSION, plural: 'resourcebindings', namespaced: true, kind: 'ResourceBinding' };
const CLUSTER_BINDINGS = { group: GROUP, version: VERSION, plural: 'clusterresourcebindings', namespaced: false, kind: 'ClusterResourceBinding' };

function onAnyChange<T extends KubeObject>(informer: Informer<T>, handler: (obj: T) => void): void {
  informer.on('add', handler).on('update', handler).on('delete', handler);
}

export class PolicyController {
  private readonly propagationPolicies: Informer<PropagationPolicyV1alpha1>;
  private readonly clusterPropagationPolicies: Informer<ClusterPropagationPolicyV1alpha1>;
  private readonly overridePolicies: Informer<OverridePolicyV1alpha1>;
  private readonly clusterOverridePolicies: Informer<ClusterOverridePolicyV1alpha1>;
  private readonly bindings: Informer<BindingPlain>;
  private readonly clusterBindings: Informer<BindingPlain>;
  /** Watched resources by `<plural>.<group>`, and that key by apiVersion and kind. */
  private readonly watched = new Map<string, WatchedResource>();
  private readonly resourceByKind = new Map<string, string>();
  private readonly queue: WorkQueue;
  private signal?: AbortSignal;

  constructor(private readonly deps: PolicyControllerDeps) {
    const { host, scheme } = deps;
    const onError = (err: unknown) => deps.logger.debug({ err }, 'policy watch failed; listing again');
    this.propagationPolicies = new Informer(new ResourceClient(host, scheme, PropagationPolicyV1alpha1), { onError });
    this.clusterPropagationPolicies = new Informer(new ResourceClient(host, scheme, ClusterPropagationPolicyV1alpha1), { onError });
    this.overridePolicies = new Informer(new ResourceClient(host, scheme, OverridePolicyV1alpha1), { onError });
    this.clusterOverridePolicies = new Informer(new ResourceClient(host, scheme, ClusterOverridePolicyV1alpha1), { onError });
    this.bindings = new Informer<BindingPlain>(new DynamicResourceClient(host, BINDINGS), { onError });
    this.clusterBindings = new Informer<BindingPlain>(new DynamicResourceClient(host, CLUSTER_BINDINGS), { onError });
    this.queue = new WorkQueue({ retryInitialMs: deps.options.retryInitialMs, retryMaxMs: deps.options.retryMaxMs });
    const policiesChanged = () => {
      void this.watchSelectedKinds();
      this.enqueueAll();
    };
    onAnyChange(this.propagationPolicies, policiesChanged);
    onAnyChange(this.clusterPropagationPolicies, policiesChanged);
    onAnyChange(this.overridePolicies, policiesChanged);
    onAnyChange(this.clusterOverridePolicies, policiesChanged);
    const bindingChanged = (binding: BindingPlain) => void this.watchSelectedKinds().then(() => this.enqueueBound(binding));
    onAnyChange(this.bindings, bindingChanged);
    onAnyChange(this.clusterBindings, bindingChanged);
  }

  enqueueAll(): void {
    for (const [resource, watched] of this.watched) {
      for (const obj of watched.informer.list()) this.queue.add(`${resource}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`);
    }
    for (const binding of [...this.bindings.list(), ...this.clusterBindings.list()]) this.enqueueBound(binding);
  }

  /** A copy in a member changed. */
  enqueueOrigin(resource: string, namespace: string, name: string): void {
    this.queue.add(`${resource}/${namespace}/${name}`);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const policyInformers = [this.propagationPolicies, this.clusterPropagationPolicies, this.overridePolicies, this.clusterOverridePolicies, this.bindings, this.clusterBindings];
    const informers = policyInformers.map((i) => i.run(signal));
    await Promise.race([Promise.all(policyInformers.map((i) => i.waitForSync())), new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))]);
    // Kinds the host does not serve yet are looked up again now and then.
    const rediscover = setInterval(() => void this.watchSelectedKinds(), this.deps.options.probeIntervalMs);
    rediscover.unref();
    await this.watchSelectedKinds();
    this.enqueueAll();
    await this.queue.run((key) => this.reconcile(key), signal, this.deps.options.workers, (key, err) => {
      this.deps.logger[isConflict(err) ? 'debug' : 'warn']({ err, object: key }, 'reconcile failed; trying again');
    });
    clearInterval(rediscover);
    await Promise.all(informers);
    this.watched.clear();
    this.resourceByKind.clear();
  }

  /** Starts watching every kind a policy or binding names that is not watched yet. */
  private async watchSelectedKinds(): Promise<void> {
    const signal = this.signal;
    if (!signal || signal.aborted) return;
    const kinds = new Map<string, { apiVersion: string; kind: string }>();
    for (const policy of [...this.propagationPolicies.list(), ...this.clusterPropagationPolicies.list()]) {
      for (const s of policy.spec?.resourceSelectors ?? []) kinds.set(kindKey(s.apiVersion, s.kind), s);
    }
    for (const binding of [...this.bindings.list(), ...this.clusterBindings.list()]) {
      const r = binding.spec?.resource;
      if (r) kinds.set(kindKey(r.apiVersion, r.kind), r);
    }
    for (const [key, { apiVersion, kind }] of kinds) {
      if (this.resourceByKind.has(key)) continue;
      const target = await this.discover(apiVersion, kind);
      if (!target || this.resourceByKind.has(key) || signal.aborted) continue;
      const resource = resourceKeyOf(target);
      const informer = new Informer<UnstructuredObject>(new DynamicResourceClient(this.deps.host, target), {
        onError: (err) => this.deps.logger.debug({ err, resource }, 'watch failed; listing again'),
      });
      const enqueue = (obj: UnstructuredObject) => this.queue.add(`${resource}/${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`);
      informer.on('add', enqueue).on('update', enqueue).on('delete', enqueue);
      this.watched.set(resource, { target, apiVersion, informer });
      this.resourceByKind.set(key, resource);
      void informer.run(signal);
      this.deps.logger.info({ resource, kind }, 'watching a kind policies select');
    }
  }

  /** Where the host serves a kind, from its discovery; undefined while it does not. */
  private async discover(apiVersion: string, kind: string): Promise<TargetResource | undefined> {
    const { group, version } = parseApiVersion(apiVersion);
    try {
      const list = await this.deps.host.request<APIResourceListBody>(group ? `/apis/${group}/${version}` : `/api/${version}`);
      const found = (list.resources ?? []).find((r) => r.kind === kind && !r.name.includes('/'));
      return found ? { group, version, plural: found.name, namespaced: found.namespaced, kind } : undefined;
    } catch (err) {
      this.deps.logger.debug({ err, apiVersion, kind }, 'kind not served by the host (yet)');
      return undefined;
    }
  }

  private enqueueBound(binding: BindingPlain): void {
    const r = binding.spec?.resource;
    const resource = r && this.resourceByKind.get(kindKey(r.apiVersion, r.kind));
    if (r && resource) this.queue.add(`${resource}/${r.namespace ?? ''}/${r.name}`);
  }

  private async reconcile(key: string): Promise<boolean> {
    const [resource, namespace, ...rest] = key.split('/');
    const name = rest.join('/');
    const watched = this.watched.get(resource);
    if (!watched) return true;
    const { target, apiVersion } = watched;
    const obj = watched.informer.get(namespace, name);
    const binding = this.bindingOf(target, namespace, name);
    const policy = obj && !obj.metadata.deletionTimestamp ? this.policyFor({ ...obj, apiVersion, kind: target.kind }) : undefined;
    const hasFinalizer = obj?.metadata.finalizers?.includes(PROPAGATION_FINALIZER) ?? false;
    if (!policy && !hasFinalizer && !binding) return true;

    const objects = new DynamicResourceClient(this.deps.host, target, target.namespaced ? namespace : undefined);
    let current = obj;
    if (policy && obj && !hasFinalizer) {
      current = await objects.patch(name, { metadata: { finalizers: [...(obj.metadata.finalizers ?? []), PROPAGATION_FINALIZER], resourceVersion: obj.metadata.resourceVersion } });
    }
    const desired = policy && current ? this.desired({ ...current, apiVersion, kind: target.kind }, policy.spec?.placement, key) : new Map<string, RenderOutcome>();
    const result = await this.deps.engine.propagate({
      origin: key,
      target,
      name,
      namespace: target.namespaced ? namespace : undefined,
      desired,
      previous: binding?.status?.clusters ?? [],
      immutableFieldPolicy: policy?.spec?.immutableFieldPolicy ?? 'Report',
    });
    if (!policy && result.complete) {
      if (obj && hasFinalizer) {
        const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== PROPAGATION_FINALIZER);
        await objects.patch(name, { metadata: { finalizers: finalizers.length > 0 ? finalizers : null, resourceVersion: obj.metadata.resourceVersion } }).catch(ignoreNotFound);
      }
      if (binding) await this.bindingClientFor(target, namespace).delete(binding.metadata.name ?? '').catch(ignoreNotFound);
      return true;
    }
    await this.writeBinding({ target, apiVersion, obj: current, namespace, name, selected: [...desired.keys()].sort() }, binding, policy, result);
    return result.complete;
  }

  private policyFor(obj: UnstructuredObject & { apiVersion: string; kind: string }): PropagationPolicyV1alpha1 | ClusterPropagationPolicyV1alpha1 | undefined {
    return matchPropagationPolicy<PropagationPolicyV1alpha1 | ClusterPropagationPolicyV1alpha1>(obj, this.propagationPolicies.list(), this.clusterPropagationPolicies.list());
  }

  /** What each selected cluster should hold. */
  private desired(obj: UnstructuredObject & { apiVersion: string; kind: string }, placement: Placement | undefined, origin: string): Map<string, RenderOutcome> {
    const candidates = this.deps.clusters.candidates();
    const template = templateOf(obj);
    const desired = new Map<string, RenderOutcome>();
    for (const cluster of selectClusters(placement, candidates)) {
      const overrides = overridesFor(obj, cluster, candidates, this.overridePolicies.list(), this.clusterOverridePolicies.list());
      desired.set(
        cluster,
        renderForCluster(template, overrides, {
          apiVersion: obj.apiVersion,
          kind: obj.kind,
          name: obj.metadata.name ?? '',
          namespace: obj.metadata.namespace,
          origin,
        }),
      );
    }
    return desired;
  }

  private bindingOf(target: TargetResource, namespace: string, name: string): BindingPlain | undefined {
    const bindingKey = bindingName(name, target.kind);
    return target.namespaced ? this.bindings.get(namespace, bindingKey) : this.clusterBindings.get('', bindingKey);
  }

  private bindingClientFor(target: TargetResource, namespace: string): DynamicResourceClient {
    return target.namespaced ? new DynamicResourceClient(this.deps.host, BINDINGS, namespace) : new DynamicResourceClient(this.deps.host, CLUSTER_BINDINGS);
  }

  /** Creates or updates the binding's spec, then its status, each only when it changed. */
  private async writeBinding(
    bound: BoundObject,
    existing: BindingPlain | undefined,
    policy: PropagationPolicyV1alpha1 | ClusterPropagationPolicyV1alpha1 | undefined,
    result: PropagationResult,
  ): Promise<void> {
    const { target, apiVersion, obj, namespace, name } = bound;
    const client = this.bindingClientFor(target, namespace);
    const bindingKey = bindingName(name, target.kind);
    const spec = {
      resource: { apiVersion, kind: target.kind, ...(target.namespaced ? { namespace } : {}), name, uid: obj?.metadata.uid },
      policy: policy && {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: policy.metadata.namespace ? 'PropagationPolicy' : 'ClusterPropagationPolicy',
        ...(policy.metadata.namespace ? { namespace: policy.metadata.namespace } : {}),
        name: policy.metadata.name ?? '',
      },
      clusters: bound.selected,
    };
    const plainSpec = JSON.parse(JSON.stringify(spec)) as ResourceBindingSpec;
    let binding: BindingPlain | undefined = existing;
    if (!binding) {
      const location = target.namespaced ? BINDINGS : CLUSTER_BINDINGS;
      const metadata = { name: bindingKey, ...(target.namespaced ? { namespace } : {}) };
      binding = await client.create({ apiVersion: `${GROUP}/${VERSION}`, kind: location.kind, metadata, spec: plainSpec });
    } else if (!isDeepStrictEqual(binding.spec, plainSpec)) {
      binding = await client.patch(bindingKey, { spec: { ...plainSpec, policy: plainSpec.policy ?? null } });
    }
    const status = propagationStatus(binding.status, result, obj?.metadata.generation, !policy);
    if (statusChanged(binding.status, status)) await client.patch(bindingKey, { status }, { subresource: 'status' }).catch(ignoreNotFound);
  }
}
