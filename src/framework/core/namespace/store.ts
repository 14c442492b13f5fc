/**
 * The namespace Store: deleting a namespace marks it Terminating; the namespace
 * controller empties it and removes the `kubernetes` finalizer from spec.finalizers,
 * which completes the deletion.
 */
import type { ObjectMeta } from '../../api/meta';
import { isNotFound, newNotFound } from '../../api/status';
import { newRequestContext } from '../../registry/context';
import { withStatusErrors } from '../../registry/storage-errors';
import { Store } from '../../registry/store';
import type { StoredObject } from '../../storage/interface';
import type { NamespaceLookup } from './lifecycle-admission';
import { NAMESPACE_FINALIZER, type Namespace } from './types';

interface StoredNamespace extends StoredObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string };
}

export class NamespaceStore extends Store<Namespace> implements NamespaceLookup {
  protected override pendingFinalizers(obj: StoredObject): string[] {
    return [...super.pendingFinalizers(obj), ...((obj as StoredNamespace).spec?.finalizers ?? [])];
  }

  protected override onMarkDeleting(obj: StoredObject): void {
    const ns = obj as StoredNamespace;
    ns.status = { ...ns.status, phase: 'Terminating' };
  }

  /**
   * The namespace as the watch cache has it (no storage round trip on every
   * create); only a namespace the cache does not know yet — just created — is
   * read from storage before the answer is NotFound.
   */
  async lookupNamespace(name: string): Promise<ObjectMeta> {
    const ctx = newRequestContext();
    try {
      return (await this.get(ctx, name, { resourceVersion: '0' })).metadata;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      return (await this.get(ctx, name)).metadata;
    } catch (err) {
      throw isNotFound(err) ? newNotFound(this.groupResource, name) : err;
    }
  }

  /** Removes the namespace finalizer (kube's /finalize); then the namespace is deleted. */
  async finalize(name: string): Promise<void> {
    const key = this.keyFor('', name);
    const stored = await withStatusErrors(this.groupResource, name, () =>
      this.storage.guaranteedUpdate(key, {
        tryUpdate: (current) => {
          if (!current) throw newNotFound(this.groupResource, name);
          const next = structuredClone(current) as StoredNamespace;
          next.spec = { ...next.spec, finalizers: (next.spec?.finalizers ?? []).filter((f) => f !== NAMESPACE_FINALIZER) };
          return next;
        },
      }),
    );
    await this.finishDeletionIfDone(key, name, stored);
  }
}
