/**
 * Federated objects: a template of the target object, where it goes (placement)
 * and how it differs per cluster (overrides), and per cluster what became of it.
 * Every Federated<Kind> has this one shape; FederatedNamespace is declared here,
 * the others are made when a FederatedTypeConfig asks for them (federated-kind.ts).
 */
import { Condition, Field, Hub, KubeObject } from '../../index';
import { ClusterOverride, ClusterPropagationStatus, conditionsField, Placement, TYPES_GROUP } from './types';

export class FederatedSpec {
  @Field(() => Object, { preserveUnknownFields: true, description: 'The target object without name and namespace: labels, annotations, spec and the like.' })
  template?: Record<string, unknown>;

  @Field(() => Placement)
  placement?: Placement;

  @Field(() => ClusterOverride, {
    array: true,
    patchMergeKey: 'clusterName',
    patchStrategy: 'merge',
    listType: 'map',
    listMapKeys: ['clusterName'],
    description: 'Per cluster, JSON patch operations applied to the template.',
  })
  overrides?: ClusterOverride[];
}

export class FederatedStatus {
  @Field(() => Number, { type: 'integer', format: 'int64', description: 'The generation the controller last acted on.' })
  observedGeneration?: number;

  @Field(() => Condition, conditionsField)
  conditions?: Condition[];

  @Field(() => ClusterPropagationStatus, { array: true, listType: 'map', listMapKeys: ['clusterName'], description: 'What became of the object in each cluster.' })
  clusters?: ClusterPropagationStatus[];
}

/** The shape every federated kind shares. */
export abstract class FederatedObject extends KubeObject {
  @Field(() => FederatedSpec)
  spec?: FederatedSpec;

  @Field(() => FederatedStatus)
  status?: FederatedStatus;
}

/** Places a namespace in member clusters; the federated objects in it go only where it goes. */
@Hub({ group: TYPES_GROUP, kind: 'FederatedNamespace' })
export class FederatedNamespace extends FederatedObject {}
