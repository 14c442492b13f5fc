/**
 * The status a propagated object reports: per cluster what became of it, and
 * the Propagated condition that sums it up (KubeFed's CheckClusters when some
 * cluster is not as wanted).
 */
import { isDeepStrictEqual } from 'node:util';
import type { Condition } from '../../index';
import { CONDITION_PROPAGATED, type ClusterPropagationStatus } from '../../apis/federation/types';
import type { PropagationResult } from './propagation-engine';
import { nowTimestamp } from './timing';

export interface PropagationStatusFields {
  observedGeneration?: number;
  conditions?: Condition[];
  clusters?: ClusterPropagationStatus[];
}

function propagatedCondition(result: PropagationResult, generation: number | undefined, deleting: boolean, old: Condition | undefined): Condition {
  const failing = result.clusters.filter((c) => c.status !== 'Ok');
  const status = result.complete && !deleting ? 'True' : 'False';
  let reason: string;
  let message: string;
  if (failing.length > 0) {
    reason = 'CheckClusters';
    message = failing.map((c) => `${c.clusterName}: ${c.status}${c.message ? ` (${c.message})` : ''}`).join('; ');
  } else if (deleting) {
    reason = 'Deleting';
    message = 'removing the copies from member clusters';
  } else {
    reason = result.clusters.length === 0 ? 'NoClusterSelected' : 'Propagated';
    message = result.clusters.length === 0 ? 'the placement selects no cluster' : `in ${result.clusters.length} cluster(s) as rendered`;
  }
  return {
    type: CONDITION_PROPAGATED,
    status,
    observedGeneration: generation,
    lastTransitionTime: old?.status === status ? old.lastTransitionTime : nowTimestamp(),
    reason,
    message,
  };
}

/** The status to report for a result, keeping other conditions and the transition time of an unchanged one. */
export function propagationStatus(current: PropagationStatusFields | undefined, result: PropagationResult, generation: number | undefined, deleting = false): PropagationStatusFields {
  const conditions = current?.conditions ?? [];
  const old = conditions.find((c) => c.type === CONDITION_PROPAGATED);
  return {
    observedGeneration: generation,
    conditions: [...conditions.filter((c) => c.type !== CONDITION_PROPAGATED), propagatedCondition(result, generation, deleting, old)],
    clusters: result.clusters,
  };
}

/** Whether writing `next` over `current` would change anything. */
export function statusChanged(current: PropagationStatusFields | undefined, next: PropagationStatusFields): boolean {
  const plain = (s: PropagationStatusFields | undefined) => JSON.parse(JSON.stringify({ observedGeneration: s?.observedGeneration, conditions: s?.conditions ?? [], clusters: s?.clusters ?? [] }));
  return !isDeepStrictEqual(plain(current), plain(next));
}
