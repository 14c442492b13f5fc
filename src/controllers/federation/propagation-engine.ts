/**
 * The propagation engine both paths share (Federated<Kind> objects and objects
 * selected by policy): given what each selected member cluster should hold,
 * it creates, updates (only when the rendering differs from what is there) or
 * leaves alone the member's copy, removes the copies of clusters no longer
 * selected, and reports per cluster what became of the object, with the
 * member's own status of it and, where the member holds it in another version
 * than the rendered one (an older cluster), that version. It never touches an
 * object it does not manage.
 */
import { apiVersionOf, isAlreadyExists, isNotFound, isStatusError, type ResourceLocation, type UnstructuredObject } from '../../index';
import { MANAGED_LABEL, type ClusterPropagationStatus, type ImmutableFieldPolicy, type PropagationStatus } from '../../apis/federation/types';
import type { ClusterConnection } from './cluster-connection';
import { isImmutableFieldError, isManagedBy, isMissingNamespace, needsUpdate, updateOf } from './member-object';
import { isVersionNotServed, type MemberObjects } from './member-objects';
import { isRenderError, type Rendered, type RenderOutcome } from './render';

/** The member-side resource an object propagates as. */
export interface TargetResource extends ResourceLocation {
  kind: string;
}

export interface PropagationRequest {
  /** The origin annotation the member copies carry. */
  origin: string;
  target: TargetResource;
  name: string;
  /** The member copies' namespace, for a namespaced target. */
  namespace?: string;
  /** The selected clusters and what each should hold. An empty map removes every copy. */
  desired: Map<string, RenderOutcome>;
  /** What was reported last time: where copies may be that a cluster now unreachable still holds. */
  previous: ClusterPropagationStatus[];
  immutableFieldPolicy: ImmutableFieldPolicy;
}

export interface PropagationResult {
  /** Per cluster, sorted by name: every selected cluster, and the unselected ones still holding a copy. */
  clusters: ClusterPropagationStatus[];
  /** Every selected cluster holds the object as rendered and no other holds a copy. */
  complete: boolean;
}

/** The member clusters the engine can reach, by name. */
export interface ClusterLookup {
  get(name: string): ClusterConnection | undefined;
}

/** A previous outcome after which the cluster may hold a copy. */
const MAY_HOLD_A_COPY = new Set<PropagationStatus>(['Ok', 'UpdateFailed', 'DeletionFailed', 'WaitingForRemoval', 'ClusterNotReady']);

const NAMESPACES: TargetResource = { group: '', version: 'v1', plural: 'namespaces', namespaced: false, kind: 'Namespace' };

function entry(clusterName: string, status: PropagationStatus, message?: string, remote?: UnstructuredObject): ClusterPropagationStatus {
  const remoteStatus = remote?.status;
  return {
    clusterName,
    status,
    ...(message ? { message } : {}),
    ...(remoteStatus && typeof remoteStatus === 'object' && Object.keys(remoteStatus).length > 0 ? { remoteStatus: remoteStatus as Record<string, unknown> } : {}),
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Where a copy lives: its cluster and the host object it is made from. */
const copyKey = (cluster: string, origin: string) => `${cluster} ${origin}`;

export class PropagationEngine {
  /**
   * The resourceVersion of each copy as the engine last wrote it. A copy still at
   * that version is as rendered, whatever the member made of the values it was
   * given (so a member that normalizes a value is not written to again and again).
   */
  private readonly written = new Map<string, string>();

  constructor(private readonly clusters: ClusterLookup & { names(): string[] }) {}

  async propagate(request: PropagationRequest): Promise<PropagationResult> {
    const previous = new Map(request.previous.map((p) => [p.clusterName, p]));
    const names = new Set([...request.desired.keys(), ...this.clusters.names()]);
    const outcomes = await Promise.all(
      [...names].sort().map((name) => {
        const rendered = request.desired.get(name);
        return rendered ? this.place(name, rendered, request) : this.remove(name, previous.get(name), request);
      }),
    );
    const clusters = outcomes.filter((o): o is ClusterPropagationStatus => o !== undefined);
    const complete = clusters.every((c) => c.status === 'Ok' && request.desired.has(c.clusterName));
    return { clusters, complete };
  }

  /** Makes the cluster hold the rendered object, in the version it serves. */
  private async place(name: string, rendered: RenderOutcome, request: PropagationRequest): Promise<ClusterPropagationStatus> {
    const connection = this.clusters.get(name);
    if (!connection) return entry(name, 'ClusterNotReady', `no MemberCluster named ${name}`);
    if (!connection.ready) return entry(name, 'ClusterNotReady', connection.state.message);
    const { target } = request;
    const client = connection.objects(target, request.namespace);
    let apiVersion: string;
    try {
      apiVersion = await client.servedVersion();
    } catch (err) {
      return this.failed(connection, name, 'CreationFailed', err);
    }
    if (isRenderError(rendered)) return entry(name, 'ApplyOverridesFailed', rendered.error);
    connection.watchManaged(target);
    const outcome = await this.placeIn(connection, client, rendered, request);
    return apiVersion === apiVersionOf(target) ? outcome : { ...outcome, apiVersion };
  }

  private async placeIn(connection: ClusterConnection, client: MemberObjects, rendered: Rendered, request: PropagationRequest): Promise<ClusterPropagationStatus> {
    const { name } = connection;
    const { target } = request;
    let remote: UnstructuredObject | undefined;
    try {
      remote = await client.get(request.name);
    } catch (err) {
      if (!isNotFound(err)) return this.failed(connection, name, 'CreationFailed', err);
    }
    if (!remote) return this.create(connection, client, rendered, request);
    if (!isManagedBy(remote, request.origin, true)) return entry(name, 'AlreadyExists', `a ${target.kind} of that name exists there and is not managed by this object`);
    if (remote.metadata.deletionTimestamp) return entry(name, 'WaitingForRemoval', 'the copy there is being deleted; it is made again once gone');
    const key = copyKey(name, request.origin);
    const untouched = this.written.get(key) === remote.metadata.resourceVersion && !needsUpdate(rendered, remote, { onlyDigest: true });
    if (untouched || !needsUpdate(rendered, remote)) return entry(name, 'Ok', undefined, remote);
    try {
      return entry(name, 'Ok', undefined, this.wrote(key, await client.update(updateOf(rendered, remote))));
    } catch (err) {
      if (!isImmutableFieldError(err)) return this.failed(connection, name, 'UpdateFailed', err);
      if (request.immutableFieldPolicy !== 'Recreate') return entry(name, 'UpdateFailed', `${messageOf(err)} (the type's immutableFieldPolicy is Report)`);
      return this.recreate(connection, client, rendered, request, remote);
    }
  }

  /** Creates the object, and its namespace first when the cluster lacks it. */
  private async create(connection: ClusterConnection, client: MemberObjects, rendered: Rendered, request: PropagationRequest): Promise<ClusterPropagationStatus> {
    const key = copyKey(connection.name, request.origin);
    try {
      return entry(connection.name, 'Ok', undefined, this.wrote(key, await client.create(rendered.object)));
    } catch (err) {
      if (!isMissingNamespace(err) || !request.namespace) return this.failed(connection, connection.name, 'CreationFailed', err);
    }
    try {
      await connection.resource(NAMESPACES).create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: request.namespace, labels: { [MANAGED_LABEL]: 'true' } } });
    } catch (err) {
      if (!isAlreadyExists(err)) return this.failed(connection, connection.name, 'CreationFailed', err);
    }
    try {
      return entry(connection.name, 'Ok', undefined, this.wrote(key, await client.create(rendered.object)));
    } catch (err) {
      return this.failed(connection, connection.name, 'CreationFailed', err);
    }
  }

  /** The Recreate policy: delete the copy the cluster will not change in place, and make it anew. */
  private async recreate(
    connection: ClusterConnection,
    client: MemberObjects,
    rendered: Rendered,
    request: PropagationRequest,
    remote: UnstructuredObject,
  ): Promise<ClusterPropagationStatus> {
    try {
      await client.delete(request.name, { preconditions: { uid: remote.metadata.uid } });
      return entry(connection.name, 'Ok', undefined, this.wrote(copyKey(connection.name, request.origin), await client.create(rendered.object)));
    } catch (err) {
      if (isAlreadyExists(err)) return entry(connection.name, 'WaitingForRemoval', 'recreating: the old copy is still being deleted');
      return this.failed(connection, connection.name, 'UpdateFailed', err);
    }
  }

  /** Removes the copy of a cluster the object is no longer placed in, if it holds one of ours. */
  private async remove(name: string, previous: ClusterPropagationStatus | undefined, request: PropagationRequest): Promise<ClusterPropagationStatus | undefined> {
    const mayHoldCopy = previous !== undefined && MAY_HOLD_A_COPY.has(previous.status);
    const connection = this.clusters.get(name);
    if (!connection) return undefined;
    if (!connection.ready) return mayHoldCopy ? entry(name, 'ClusterNotReady', `a copy may remain to be removed: ${connection.state.message}`) : undefined;
    const client = connection.objects(request.target, request.namespace);
    try {
      await client.servedVersion();
      const remote = await client.get(request.name);
      if (!isManagedBy(remote, request.origin)) return undefined;
      if (remote.metadata.deletionTimestamp) return entry(name, 'WaitingForRemoval', 'the copy there is being deleted');
      await client.delete(request.name, { preconditions: { uid: remote.metadata.uid } });
      this.written.delete(copyKey(name, request.origin));
      return undefined;
    } catch (err) {
      // Not served: the cluster cannot hold a copy.
      if (isNotFound(err) || isVersionNotServed(err)) return undefined;
      return this.failed(connection, name, 'DeletionFailed', err);
    }
  }

  private wrote(key: string, copy: UnstructuredObject): UnstructuredObject {
    this.written.set(key, copy.metadata.resourceVersion ?? '');
    return copy;
  }

  /** A request failed: a cluster that stopped answering is not ready, anything else is the operation's failure. */
  private failed(connection: ClusterConnection, name: string, status: PropagationStatus, err: unknown): ClusterPropagationStatus {
    if (isVersionNotServed(err)) return entry(name, 'VersionNotServed', messageOf(err));
    if (!isStatusError(err) || err.code === 401 || err.code === 403 || err.code === 503) {
      connection.markUnreachable(err);
      return entry(name, 'ClusterNotReady', connection.state.message);
    }
    return entry(name, status, messageOf(err));
  }
}
