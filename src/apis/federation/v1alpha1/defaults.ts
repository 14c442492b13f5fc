/**
 * Defaults of v1alpha1, applied when objects are decoded or read back, so that
 * what clients see spells them out: a type's objects are propagated, a member
 * refusing an in-place change is reported, and an override replaces.
 */
import type { Scheme } from '../../../index';
import { PropagationPolicySpec } from '../policy-types';
import { FederatedTypeConfigSpec, OverrideOperation } from '../types';

export function addDefaults(scheme: Scheme): void {
  scheme.addDefaulter(FederatedTypeConfigSpec, (spec) => {
    spec.propagation ??= 'Enabled';
    spec.immutableFieldPolicy ??= 'Report';
  });
  scheme.addDefaulter(PropagationPolicySpec, (spec) => {
    spec.immutableFieldPolicy ??= 'Report';
  });
  scheme.addDefaulter(OverrideOperation, (op) => {
    op.op ??= 'replace';
  });
}
