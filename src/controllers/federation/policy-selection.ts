/**
 * Which policies apply to an ordinary host object, in the manner of Karmada:
 * a selector names the apiVersion and kind, and optionally a namespace (for
 * cluster-wide policies), a name and a label selector. Of the propagation
 * policies that select an object, a PropagationPolicy in its namespace wins
 * over a ClusterPropagationPolicy; among equals the more specific selector
 * (by name, then by labels, then by kind alone) wins, then the first name in
 * order. Every override policy that selects the object applies: the
 * cluster-wide ones first, then those of its namespace, each in name order.
 */
import { labelSelectorFromObject, type KubeObject } from '../../index';
import type { OverridePolicySpec, PropagationPolicySpec, ResourceSelector } from '../../apis/federation/policy-types';
import type { OverrideOperation } from '../../apis/federation/types';
import { selectClusters, type ClusterCandidate } from './placement';

/** A policy as the selection needs it: cluster-wide ones have no namespace. */
export interface PolicyLike<S> {
  metadata: { name?: string; namespace?: string };
  spec?: S;
}

export interface SelectableObject {
  apiVersion: string;
  kind: string;
  metadata: KubeObject['metadata'];
}

/** How specifically a selector picks the object (higher is more specific), or -1 when it does not. */
function specificity(selector: ResourceSelector, obj: SelectableObject, clusterWide: boolean): number {
  if (selector.apiVersion !== obj.apiVersion || selector.kind !== obj.kind) return -1;
  if (clusterWide && selector.namespace !== undefined && selector.namespace !== (obj.metadata.namespace ?? '')) return -1;
  if (selector.name !== undefined && selector.name !== obj.metadata.name) return -1;
  if (selector.labelSelector && !labelSelectorFromObject(selector.labelSelector).matches(obj.metadata.labels)) return -1;
  return selector.name !== undefined ? 2 : selector.labelSelector ? 1 : 0;
}

function bestSpecificity(selectors: ResourceSelector[] | undefined, obj: SelectableObject, clusterWide: boolean): number {
  return Math.max(-1, ...(selectors ?? []).map((s) => specificity(s, obj, clusterWide)));
}

function byName<P extends PolicyLike<unknown>>(a: P, b: P): number {
  return (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '');
}

/** The propagation policy that places the object, if any. */
export function matchPropagationPolicy<P extends PolicyLike<PropagationPolicySpec>>(obj: SelectableObject, namespaced: P[], clusterWide: P[]): P | undefined {
  for (const [policies, isClusterWide] of [
    [namespaced.filter((p) => p.metadata.namespace === obj.metadata.namespace), false],
    [clusterWide, true],
  ] as const) {
    const ranked = policies
      .map((policy) => ({ policy, rank: bestSpecificity(policy.spec?.resourceSelectors, obj, isClusterWide) }))
      .filter((r) => r.rank >= 0)
      .sort((a, b) => b.rank - a.rank || byName(a.policy, b.policy));
    if (ranked.length > 0) return ranked[0].policy;
  }
  return undefined;
}

/** The override operations for the object in one cluster, in the order they apply. */
export function overridesFor<P extends PolicyLike<OverridePolicySpec>>(
  obj: SelectableObject,
  cluster: string,
  clusters: ClusterCandidate[],
  namespaced: P[],
  clusterWide: P[],
): OverrideOperation[] {
  const applicable = [
    ...[...clusterWide].sort(byName).filter((p) => bestSpecificity(p.spec?.resourceSelectors, obj, true) >= 0),
    ...namespaced
      .filter((p) => p.metadata.namespace === obj.metadata.namespace)
      .sort(byName)
      .filter((p) => bestSpecificity(p.spec?.resourceSelectors, obj, false) >= 0),
  ];
  return applicable.flatMap((policy) =>
    (policy.spec?.overrideRules ?? []).filter((rule) => !rule.targetCluster || selectClusters(rule.targetCluster, clusters).has(cluster)).flatMap((rule) => rule.overrides ?? []),
  );
}
