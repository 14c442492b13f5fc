/**
 * federation.example.com/v1alpha1 (and FederatedNamespace in
 * types.federation.example.com/v1alpha1): the served and stored version,
 * shaped exactly like the internal types.
 */
import { Resource } from '../../../index';
import { FederatedNamespace } from '../federated-types';
import { ClusterOverridePolicy, ClusterPropagationPolicy, ClusterResourceBinding, OverridePolicy, PropagationPolicy, ResourceBinding } from '../policy-types';
import {
  BINDING_COLUMNS,
  FEDERATED_OBJECT_COLUMNS,
  FEDERATED_TYPE_CONFIG_COLUMNS,
  LEASE_COLUMNS,
  MEMBER_CLUSTER_COLUMNS,
  POLICY_COLUMNS,
} from '../printer-columns';
import { ClusterCredential, FederatedTypeConfig, GROUP, Lease, MemberCluster, TYPES_GROUP, VERSION } from '../types';

const CATEGORIES = ['federation'];

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'MemberCluster',
  plural: 'memberclusters',
  scope: 'Cluster',
  shortNames: ['mc'],
  categories: CATEGORIES,
  subresources: { status: true },
  printerColumns: MEMBER_CLUSTER_COLUMNS,
  description: 'A cluster the host propagates to: its API endpoint and credentials; its status says whether it answers and what it serves.',
})
export class MemberClusterV1alpha1 extends MemberCluster {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'ClusterCredential',
  plural: 'clustercredentials',
  scope: 'Cluster',
  categories: CATEGORIES,
  description: 'Credentials a MemberCluster refers to: a token, or a client certificate and key.',
})
export class ClusterCredentialV1alpha1 extends ClusterCredential {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'FederatedTypeConfig',
  plural: 'federatedtypeconfigs',
  scope: 'Cluster',
  shortNames: ['ftc'],
  categories: CATEGORIES,
  subresources: { status: true },
  printerColumns: FEDERATED_TYPE_CONFIG_COLUMNS,
  description: 'Federates a resource type: the host serves Federated<Kind> for it, named <plural>.<group>.',
})
export class FederatedTypeConfigV1alpha1 extends FederatedTypeConfig {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'Lease',
  plural: 'leases',
  scope: 'Cluster',
  categories: CATEGORIES,
  printerColumns: LEASE_COLUMNS,
  description: 'Who among the federation controller replicas leads, and until when.',
})
export class LeaseV1alpha1 extends Lease {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'PropagationPolicy',
  plural: 'propagationpolicies',
  scope: 'Namespaced',
  shortNames: ['pp'],
  categories: CATEGORIES,
  printerColumns: POLICY_COLUMNS,
  description: 'Propagates the ordinary objects it selects in its namespace to the clusters its placement selects.',
})
export class PropagationPolicyV1alpha1 extends PropagationPolicy {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'ClusterPropagationPolicy',
  plural: 'clusterpropagationpolicies',
  scope: 'Cluster',
  shortNames: ['cpp'],
  categories: CATEGORIES,
  printerColumns: POLICY_COLUMNS,
  description: 'Propagates the ordinary objects it selects anywhere; a PropagationPolicy in the namespace wins.',
})
export class ClusterPropagationPolicyV1alpha1 extends ClusterPropagationPolicy {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'OverridePolicy',
  plural: 'overridepolicies',
  scope: 'Namespaced',
  shortNames: ['op'],
  categories: CATEGORIES,
  printerColumns: POLICY_COLUMNS,
  description: 'Per-cluster changes to the objects it selects in its namespace when they are propagated by policy.',
})
export class OverridePolicyV1alpha1 extends OverridePolicy {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'ClusterOverridePolicy',
  plural: 'clusteroverridepolicies',
  scope: 'Cluster',
  shortNames: ['cop'],
  categories: CATEGORIES,
  printerColumns: POLICY_COLUMNS,
  description: 'Per-cluster changes to the objects it selects anywhere when they are propagated by policy.',
})
export class ClusterOverridePolicyV1alpha1 extends ClusterOverridePolicy {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'ResourceBinding',
  plural: 'resourcebindings',
  scope: 'Namespaced',
  shortNames: ['rb'],
  categories: CATEGORIES,
  subresources: { status: true },
  printerColumns: BINDING_COLUMNS,
  description: 'Where a namespaced object propagated by policy went, and what became of it there. Written by the controller.',
})
export class ResourceBindingV1alpha1 extends ResourceBinding {}

@Resource({
  group: GROUP,
  version: VERSION,
  kind: 'ClusterResourceBinding',
  plural: 'clusterresourcebindings',
  scope: 'Cluster',
  shortNames: ['crb'],
  categories: CATEGORIES,
  subresources: { status: true },
  printerColumns: BINDING_COLUMNS,
  description: 'Where a cluster-scoped object propagated by policy went, and what became of it there. Written by the controller.',
})
export class ClusterResourceBindingV1alpha1 extends ClusterResourceBinding {}

@Resource({
  group: TYPES_GROUP,
  version: VERSION,
  kind: 'FederatedNamespace',
  plural: 'federatednamespaces',
  scope: 'Namespaced',
  categories: CATEGORIES,
  subresources: { status: true },
  printerColumns: FEDERATED_OBJECT_COLUMNS,
  description: 'Places its namespace in member clusters; named as its namespace. Federated objects in the namespace go only where it goes.',
})
export class FederatedNamespaceV1alpha1 extends FederatedNamespace {}
