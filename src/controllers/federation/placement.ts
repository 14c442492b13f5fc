/**
 * Which member clusters a placement selects, by KubeFed's rules: the clusters
 * named, when `clusters` is given (even empty); otherwise those whose labels
 * the selector matches (`{}` matches every one); neither selects none. A named
 * cluster need not exist: it is selected, and reported as not ready.
 */
import { labelSelectorFromObject } from '../../index';
import type { Placement } from '../../apis/federation/types';

export interface ClusterCandidate {
  name: string;
  labels?: Record<string, string>;
}

export function selectClusters(placement: Placement | undefined, clusters: ClusterCandidate[]): Set<string> {
  if (placement?.clusters) return new Set(placement.clusters.map((c) => c.name));
  if (!placement?.clusterSelector) return new Set();
  const selector = labelSelectorFromObject(placement.clusterSelector);
  return new Set(clusters.filter((c) => selector.matches(c.labels)).map((c) => c.name));
}

/** The clusters both select; no second placement (undefined) constrains nothing. */
export function intersect(selected: Set<string>, constraint: Set<string> | undefined): Set<string> {
  return constraint ? new Set([...selected].filter((name) => constraint.has(name))) : selected;
}
