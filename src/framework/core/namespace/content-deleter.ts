/**
 * One pass over a terminating namespace's content, as kube's namespaced
 * resources deleter makes it: discover, delete every deletable resource's
 * objects, then list what is left. A group that cannot be discovered or a
 * resource that cannot be emptied does not stop the others; the pass records
 * every failure and what remains, and the namespace may go only when the
 * outcome is complete.
 */
import type { NamespacedContent, NamespacedContentSource } from './content';

export interface ContentDeletionOutcome {
  /** `<group>/<version>` → why discovery failed for it. */
  failedGroups: Map<string, string>;
  /** Why a resource's content could not be deleted or checked, one message per resource. */
  contentErrors: string[];
  /** `<resource>.<group>` → objects left in the namespace (only resources with some). */
  remainingByResource: Map<string, number>;
  /** Finalizer → objects left that carry it. */
  remainingByFinalizer: Map<string, number>;
}

/** True when nothing failed and nothing is left: the namespace may be finalized. */
export function isContentDeleted(outcome: ContentDeletionOutcome): boolean {
  return outcome.failedGroups.size === 0 && outcome.contentErrors.length === 0 && outcome.remainingByResource.size === 0;
}

export async function deleteAllContent(namespace: string, sources: readonly NamespacedContentSource[]): Promise<ContentDeletionOutcome> {
  const outcome: ContentDeletionOutcome = { failedGroups: new Map(), contentErrors: [], remainingByResource: new Map(), remainingByFinalizer: new Map() };
  for (const source of sources) {
    const discovered = await source();
    for (const [groupVersion, why] of discovered.failedGroups) outcome.failedGroups.set(groupVersion, why);
    for (const content of discovered.resources) {
      await deleteResourceContent(namespace, content, outcome).catch((err: unknown) => {
        outcome.contentErrors.push(err instanceof Error ? err.message : String(err));
      });
    }
  }
  return outcome;
}

async function deleteResourceContent(namespace: string, content: NamespacedContent, outcome: ContentDeletionOutcome): Promise<void> {
  await content.deleteAll(namespace);
  const left = await content.remaining(namespace);
  if (!left || left.length === 0) return;
  const { group, version, resource } = content.resource;
  outcome.remainingByResource.set(`${resource}.${group}`, left.length);
  let finalized = 0;
  for (const finalizers of left) {
    for (const finalizer of finalizers) outcome.remainingByFinalizer.set(finalizer, (outcome.remainingByFinalizer.get(finalizer) ?? 0) + 1);
    if (finalizers.length > 0) finalized++;
  }
  // Objects waiting on finalizers are expected to take a while; anything else should have gone.
  if (finalized === 0) throw new Error(`unexpected items still remain in namespace: ${namespace} for gvr: ${group}/${version}, Resource=${resource}`);
}
