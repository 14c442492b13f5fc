import type { SelectionPredicate, StoredObject, WatchEvent } from '../interface';
import { withEncodingSlot } from './encode-once';

export type ChangeType = 'ADDED' | 'MODIFIED' | 'DELETED';

/**
 * One change the cache saw, stored once in the event ring and shared by every
 * watcher. The WatchEvents it hands out are frozen and memoised, so all watchers
 * that see the change the same way get the same object (and can share its bytes,
 * see encodeOnce).
 */
export class CacheEvent {
  /** The change as an unfiltered watcher sees it. */
  readonly event: WatchEvent;
  private asAdded?: WatchEvent;
  private asDeleted?: WatchEvent;

  constructor(
    readonly type: ChangeType,
    readonly key: string,
    /** The object after the change; for DELETED its last state at the deletion's revision. */
    readonly object: StoredObject,
    /** The cached object before the change, null when there was none. */
    readonly prevObject: StoredObject | null,
    readonly revision: number,
  ) {
    this.event = Object.freeze(withEncodingSlot({ type, object }));
  }

  /**
   * The change as a watcher with this predicate sees it: objects entering the
   * selection are ADDED, objects leaving it DELETED; null when it sees nothing.
   */
  visibleThrough(predicate: SelectionPredicate | undefined): WatchEvent | null {
    if (predicate === undefined) return this.event;
    const matchesNow = this.type !== 'DELETED' && predicate(this.object);
    const matchedBefore = this.prevObject !== null && predicate(this.prevObject);
    if (matchesNow === matchedBefore) return matchesNow ? this.event : null;
    if (matchesNow) {
      return this.type === 'ADDED' ? this.event : (this.asAdded ??= Object.freeze(withEncodingSlot<WatchEvent>({ type: 'ADDED', object: this.object })));
    }
    return this.type === 'DELETED' ? this.event : (this.asDeleted ??= Object.freeze(withEncodingSlot<WatchEvent>({ type: 'DELETED', object: this.lastMatchingState() })));
  }

  /** For an object leaving a selection: its state before the change, at the revision of the change (as kube sends it). */
  private lastMatchingState(): StoredObject {
    const before = this.prevObject as StoredObject;
    const metadata = Object.freeze({ ...before.metadata, resourceVersion: this.object.metadata.resourceVersion });
    return Object.freeze(withEncodingSlot({ ...before, metadata }));
  }
}
