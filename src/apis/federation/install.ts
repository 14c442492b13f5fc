/**
 * Adds federation.example.com and FederatedNamespace (types.federation.example.com)
 * to a Scheme: the internal types, v1alpha1 and its defaults. Call once per Scheme; the
 * other Federated<Kind> types come with their FederatedTypeConfigs.
 */
import type { Scheme } from '../../index';
import { FederatedNamespace } from './federated-types';
import { ClusterOverridePolicy, ClusterPropagationPolicy, ClusterResourceBinding, OverridePolicy, PropagationPolicy, ResourceBinding } from './policy-types';
import { ClusterCredential, FederatedTypeConfig, GROUP, Lease, MemberCluster, TYPES_GROUP, VERSION } from './types';
import { addDefaults } from './v1alpha1/defaults';
import * as v1alpha1 from './v1alpha1/types';

export function install(scheme: Scheme): Scheme {
  scheme.addKnownTypes(
    MemberCluster,
    ClusterCredential,
    FederatedTypeConfig,
    Lease,
    PropagationPolicy,
    ClusterPropagationPolicy,
    OverridePolicy,
    ClusterOverridePolicy,
    ResourceBinding,
    ClusterResourceBinding,
    FederatedNamespace,
    ...Object.values(v1alpha1),
  );
  scheme.setVersionPriority(GROUP, [VERSION]);
  scheme.setVersionPriority(TYPES_GROUP, [VERSION]);
  addDefaults(scheme);
  return scheme;
}
