/**
 * The CustomResourceDefinition Store. Deleting a CRD never removes it at once: it
 * gets the cleanup finalizer and a Terminating condition, the CRD controller
 * deletes its custom resources and then drops the finalizer, which completes the
 * deletion (apiextensions' REST Delete).
 */
import { nowTimestamp } from '../registry/names';
import { Store } from '../registry/store';
import type { StoredObject } from '../storage/interface';
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, TERMINATING, type CustomResourceDefinition } from './types';

interface StoredCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

/**
 * Typed as a Store of any object so that it sits in an APIGroupInfo beside the
 * others; `definition` reads what it stores as CustomResourceDefinitions.
 */
export class CustomResourceDefinitionStore extends Store {
  /** A stored CRD as the typed internal object. */
  definition(stored: StoredObject): CustomResourceDefinition {
    return this.toHub(stored) as CustomResourceDefinition;
  }

  protected override pendingFinalizers(obj: StoredObject): string[] {
    const finalizers = super.pendingFinalizers(obj);
    // Before deletion starts the cleanup finalizer is implied; afterwards it is on the object.
    return obj.metadata.deletionTimestamp ? finalizers : [...finalizers, CUSTOM_RESOURCE_CLEANUP_FINALIZER];
  }

  protected override onMarkDeleting(obj: StoredObject): void {
    const finalizers = (obj.metadata.finalizers as string[] | undefined) ?? [];
    if (!finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) obj.metadata.finalizers = [...finalizers, CUSTOM_RESOURCE_CLEANUP_FINALIZER];
    const status = (obj.status ?? {}) as { conditions?: StoredCondition[] };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== TERMINATING);
    conditions.push({
      type: TERMINATING,
      status: 'True',
      lastTransitionTime: nowTimestamp(),
      reason: 'InstanceDeletionPending',
      message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
    });
    obj.status = { ...status, conditions };
  }
}
