/**
 * The core group's Namespace (`v1`), which standalone servers serve so that
 * `kubectl -n` and `kubectl create namespace` work. Shapes as in k8s.io/api.
 */
import { Condition, KubeObject } from '../../api';
import { Field, Hub, Resource } from '../../runtime';

/** The finalizer the namespace controller removes once the namespace is empty. */
export const NAMESPACE_FINALIZER = 'kubernetes';

export class NamespaceSpec {
  @Field(() => String, { array: true, listType: 'set', description: 'Finalizers is an opaque list of values that must be empty to permanently remove object from storage.' })
  finalizers?: string[];
}

export class NamespaceStatus {
  @Field(() => String, { enum: ['Active', 'Terminating'], description: 'Phase is the current lifecycle phase of the namespace.' })
  phase?: 'Active' | 'Terminating';

  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'], patchMergeKey: 'type', patchStrategy: 'merge' })
  conditions?: Condition[];
}

/** The internal (hub) Namespace. */
@Hub({ group: '', kind: 'Namespace' })
export class Namespace extends KubeObject {
  @Field(() => NamespaceSpec, { description: 'Spec defines the behavior of the Namespace.' })
  spec?: NamespaceSpec;

  @Field(() => NamespaceStatus, { description: 'Status describes the current status of a Namespace.' })
  status?: NamespaceStatus;
}

/** `v1` Namespace: the same shape on the wire. */
@Resource({
  group: '',
  version: 'v1',
  kind: 'Namespace',
  plural: 'namespaces',
  scope: 'Cluster',
  shortNames: ['ns'],
  description: 'Namespace provides a scope for Names.',
  printerColumns: [{ name: 'Status', type: 'string', jsonPath: '.status.phase', description: 'The status of the namespace' }],
  subresources: { status: true },
})
export class NamespaceV1 extends Namespace {}
