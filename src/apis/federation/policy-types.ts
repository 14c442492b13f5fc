/**
 * Propagation by policy, in the manner of Karmada: ordinary host objects, chosen
 * by resource and labels, go to member clusters with a placement and overrides
 * that policies name; a binding per object records where it went.
 */
import { Condition, Field, Hub, KubeObject, LabelSelectorSpec } from '../../index';
import { ClusterPropagationStatus, conditionsField, IMMUTABLE_FIELD_POLICIES, OverrideOperation, Placement, GROUP, type ImmutableFieldPolicy } from './types';

export class ResourceSelector {
  @Field(() => String, { required: true, description: 'e.g. nginx.example.com/v1' })
  apiVersion!: string;

  @Field(() => String, { required: true })
  kind!: string;

  @Field(() => String, { description: 'Only the namespace named (cluster-wide policies); a namespaced policy selects in its own.' })
  namespace?: string;

  @Field(() => String, { description: 'Only the object of this name.' })
  name?: string;

  @Field(() => LabelSelectorSpec, { description: 'Only objects whose labels match.' })
  labelSelector?: LabelSelectorSpec;
}

export class PropagationPolicySpec {
  @Field(() => ResourceSelector, { array: true, required: true, minItems: 1, listType: 'atomic' })
  resourceSelectors!: ResourceSelector[];

  @Field(() => Placement)
  placement?: Placement;

  @Field(() => String, { enum: IMMUTABLE_FIELD_POLICIES, description: 'When a member refuses to change a field in place: Report (default) or Recreate.' })
  immutableFieldPolicy?: ImmutableFieldPolicy;
}

/** Propagates the objects it selects in its namespace; wins over any ClusterPropagationPolicy. */
@Hub({ group: GROUP, kind: 'PropagationPolicy' })
export class PropagationPolicy extends KubeObject {
  @Field(() => PropagationPolicySpec)
  spec?: PropagationPolicySpec;
}

/** Propagates the objects it selects in any namespace, and cluster-scoped ones. */
@Hub({ group: GROUP, kind: 'ClusterPropagationPolicy' })
export class ClusterPropagationPolicy extends KubeObject {
  @Field(() => PropagationPolicySpec)
  spec?: PropagationPolicySpec;
}

export class OverrideRule {
  @Field(() => Placement, { description: 'The clusters the overrides apply in; absent: every cluster.' })
  targetCluster?: Placement;

  @Field(() => OverrideOperation, { array: true, required: true, listType: 'atomic' })
  overrides!: OverrideOperation[];
}

export class OverridePolicySpec {
  @Field(() => ResourceSelector, { array: true, required: true, minItems: 1, listType: 'atomic' })
  resourceSelectors!: ResourceSelector[];

  @Field(() => OverrideRule, { array: true, required: true, listType: 'atomic' })
  overrideRules!: OverrideRule[];
}

/** Overrides for the objects it selects in its namespace, applied after the cluster-wide ones. */
@Hub({ group: GROUP, kind: 'OverridePolicy' })
export class OverridePolicy extends KubeObject {
  @Field(() => OverridePolicySpec)
  spec?: OverridePolicySpec;
}

/** Overrides for the objects it selects anywhere. */
@Hub({ group: GROUP, kind: 'ClusterOverridePolicy' })
export class ClusterOverridePolicy extends KubeObject {
  @Field(() => OverridePolicySpec)
  spec?: OverridePolicySpec;
}

export class ObjectReference {
  @Field(() => String, { required: true })
  apiVersion!: string;

  @Field(() => String, { required: true })
  kind!: string;

  @Field(() => String)
  namespace?: string;

  @Field(() => String, { required: true })
  name!: string;

  @Field(() => String)
  uid?: string;
}

export class ResourceBindingSpec {
  @Field(() => ObjectReference, { required: true, description: 'The propagated host object.' })
  resource!: ObjectReference;

  @Field(() => ObjectReference, { description: 'The policy that placed it.' })
  policy?: ObjectReference;

  @Field(() => String, { array: true, listType: 'set', description: 'The clusters the placement selects.' })
  clusters?: string[];
}

export class ResourceBindingStatus {
  @Field(() => Number, { type: 'integer', format: 'int64', description: 'The generation of the propagated object the controller last acted on.' })
  observedGeneration?: number;

  @Field(() => Condition, conditionsField)
  conditions?: Condition[];

  @Field(() => ClusterPropagationStatus, { array: true, listType: 'map', listMapKeys: ['clusterName'] })
  clusters?: ClusterPropagationStatus[];
}

/** Where a namespaced host object was propagated by policy, and what became of it there. */
@Hub({ group: GROUP, kind: 'ResourceBinding' })
export class ResourceBinding extends KubeObject {
  @Field(() => ResourceBindingSpec)
  spec?: ResourceBindingSpec;

  @Field(() => ResourceBindingStatus)
  status?: ResourceBindingStatus;
}

/** The same for a cluster-scoped host object. */
@Hub({ group: GROUP, kind: 'ClusterResourceBinding' })
export class ClusterResourceBinding extends KubeObject {
  @Field(() => ResourceBindingSpec)
  spec?: ResourceBindingSpec;

  @Field(() => ResourceBindingStatus)
  status?: ResourceBindingStatus;
}
