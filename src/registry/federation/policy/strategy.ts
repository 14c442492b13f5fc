/** Propagation and override policies: selectors, placements and overrides well formed. */
import type { RESTStrategy } from '../../../index';
import type { ClusterOverridePolicy, ClusterPropagationPolicy, OverridePolicy, PropagationPolicy } from '../../../apis/federation/policy-types';
import { validateOverridePolicySpec, validatePropagationPolicySpec } from '../../../apis/federation/validation';

export function propagationPolicyStrategy(namespaced: boolean): RESTStrategy<PropagationPolicy | ClusterPropagationPolicy> {
  return {
    validate: (_ctx, obj) => validatePropagationPolicySpec(obj.spec, namespaced),
    validateUpdate: (_ctx, obj) => validatePropagationPolicySpec(obj.spec, namespaced),
  };
}

export function overridePolicyStrategy(namespaced: boolean): RESTStrategy<OverridePolicy | ClusterOverridePolicy> {
  return {
    validate: (_ctx, obj) => validateOverridePolicySpec(obj.spec, namespaced),
    validateUpdate: (_ctx, obj) => validateOverridePolicySpec(obj.spec, namespaced),
  };
}
