import type { CacheEvent } from './cache-event';
import { RingBuffer } from './ring-buffer';

/**
 * The most recent changes, oldest first, for watches that start from a past
 * revision. Bounded: when full, the oldest change is dropped and watches from
 * before it can no longer be served from memory.
 */
export class EventRing {
  private readonly events: RingBuffer<CacheEvent>;
  private oldestServable = 0;

  constructor(capacity: number) {
    this.events = new RingBuffer(capacity);
  }

  /**
   * The oldest revision a watch can start from: every change after it is in the
   * ring (it is the revision of the last dropped change, or of the list the ring
   * started from).
   */
  get startRevision(): number {
    return this.oldestServable;
  }

  /** Empties the ring; it serves watches from `revision` on. */
  reset(revision: number): void {
    this.events.clear();
    this.oldestServable = revision;
  }

  push(event: CacheEvent): void {
    const dropped = this.events.push(event);
    if (dropped !== undefined) this.oldestServable = dropped.revision;
  }

  /** The changes after `revision`, oldest first; null when some of them were dropped. */
  since(revision: number): CacheEvent[] | null {
    if (revision < this.oldestServable) return null;
    const length = this.events.length;
    let low = 0;
    let high = length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.events.at(mid).revision <= revision) low = mid + 1;
      else high = mid;
    }
    const found = new Array<CacheEvent>(length - low);
    for (let i = low; i < length; i++) found[i - low] = this.events.at(i);
    return found;
  }
}
