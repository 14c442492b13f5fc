/**
 * The conditions kube's namespace controller keeps on a terminating namespace,
 * with kube's types, reasons and messages: each pass sets all five, True with
 * what went wrong or False with the all-clear, so `kubectl describe namespace`
 * says why a namespace is stuck.
 */
import type { Condition } from '../../api/meta';
import type { ContentDeletionOutcome } from './content-deleter';

export const NAMESPACE_DELETION_DISCOVERY_FAILURE = 'NamespaceDeletionDiscoveryFailure';
export const NAMESPACE_DELETION_GV_PARSING_FAILURE = 'NamespaceDeletionGroupVersionParsingFailure';
export const NAMESPACE_DELETION_CONTENT_FAILURE = 'NamespaceDeletionContentFailure';
export const NAMESPACE_CONTENT_REMAINING = 'NamespaceContentRemaining';
export const NAMESPACE_FINALIZERS_REMAINING = 'NamespaceFinalizersRemaining';

/** A condition as one pass decides it; its lastTransitionTime comes when it is merged. */
export type DeletionCondition = Pick<Condition, 'type' | 'status' | 'reason' | 'message'>;

const ALL_CLEAR: readonly DeletionCondition[] = [
  { type: NAMESPACE_DELETION_DISCOVERY_FAILURE, status: 'False', reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  // Group/versions come parsed from discovery here, so this one never fails; kube reports it all the same.
  { type: NAMESPACE_DELETION_GV_PARSING_FAILURE, status: 'False', reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  { type: NAMESPACE_DELETION_CONTENT_FAILURE, status: 'False', reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  { type: NAMESPACE_CONTENT_REMAINING, status: 'False', reason: 'ContentRemoved', message: 'All content successfully removed' },
  { type: NAMESPACE_FINALIZERS_REMAINING, status: 'False', reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
];

/** The five conditions for one pass's outcome. */
export function namespaceDeletionConditions(outcome: ContentDeletionOutcome): DeletionCondition[] {
  const failures = new Map<string, DeletionCondition>();
  const fail = (type: string, reason: string, message: string) => failures.set(type, { type, status: 'True', reason, message });
  if (outcome.failedGroups.size > 0) {
    const groups = [...outcome.failedGroups].map(([groupVersion, why]) => `${groupVersion}: ${why}`).sort();
    fail(
      NAMESPACE_DELETION_DISCOVERY_FAILURE,
      'DiscoveryFailed',
      `Discovery failed for some groups, ${groups.length} failing: unable to retrieve the complete list of server APIs: ${groups.join(', ')}`,
    );
  }
  if (outcome.contentErrors.length > 0) {
    const errors = [...outcome.contentErrors].sort();
    fail(NAMESPACE_DELETION_CONTENT_FAILURE, 'ContentDeletionFailed', `Failed to delete all resource types, ${errors.length} remaining: ${errors.join(', ')}`);
  }
  if (outcome.remainingByResource.size > 0) {
    const resources = [...outcome.remainingByResource].map(([resource, n]) => `${resource} has ${n} resource instances`).sort();
    fail(NAMESPACE_CONTENT_REMAINING, 'SomeResourcesRemain', `Some resources are remaining: ${resources.join(', ')}`);
  }
  if (outcome.remainingByFinalizer.size > 0) {
    const finalizers = [...outcome.remainingByFinalizer].map(([finalizer, n]) => `${finalizer} in ${n} resource instances`).sort();
    fail(NAMESPACE_FINALIZERS_REMAINING, 'SomeFinalizersRemain', `Some content in the namespace has finalizers remaining: ${finalizers.join(', ')}`);
  }
  return ALL_CLEAR.map((ok) => failures.get(ok.type) ?? ok);
}

/**
 * `existing` with `next` merged in, or undefined when nothing changed. A condition
 * keeps its lastTransitionTime unless its status changes; other conditions stay.
 */
export function mergeConditions(existing: readonly Condition[] | undefined, next: readonly DeletionCondition[], now: string): Condition[] | undefined {
  const merged = (existing ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const condition of next) {
    const old = merged.find((c) => c.type === condition.type);
    if (!old) {
      merged.push({ ...condition, lastTransitionTime: now });
      changed = true;
    } else if (old.status !== condition.status || old.reason !== condition.reason || old.message !== condition.message) {
      if (old.status !== condition.status) old.lastTransitionTime = now;
      Object.assign(old, condition);
      changed = true;
    }
  }
  return changed ? merged : undefined;
}
