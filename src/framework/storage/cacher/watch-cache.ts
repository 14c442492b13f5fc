import type { StoredObject, WatchEvent } from '../interface';
import { CacheEvent } from './cache-event';
import { EventRing } from './event-ring';
import { withEncodingSlot } from './encode-once';
import { deepFreeze } from './immutable';
import { ObjectStore } from './object-store';
import { revisionOf } from './revision';

interface FreshnessWait {
  revision: number;
  resolve: (fresh: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * The in-memory state of one prefix: the current objects, the ring of recent
 * changes and the revision they are complete up to. It is fed by the reflector
 * and hands every applied change to `onChange` (the watcher fan-out). Objects
 * enter frozen and are never copied afterwards.
 */
export class WatchCache {
  readonly store = new ObjectStore();
  readonly ring: EventRing;
  private revision = 0;
  private waits: FreshnessWait[] = [];

  constructor(
    ringSize: number,
    private readonly keyOf: (obj: StoredObject) => string,
    private readonly onChange: (change: CacheEvent) => void,
  ) {
    this.ring = new EventRing(ringSize);
  }

  /** The revision the cache is complete up to. */
  get resourceVersion(): number {
    return this.revision;
  }

  /** Replaces the whole state with a list taken at `revision`; the ring starts over from there. */
  replace(items: StoredObject[], revision: number): void {
    this.store.clear();
    for (const item of items) this.store.set(this.keyOf(item), deepFreeze(withEncodingSlot(item)));
    this.ring.reset(revision);
    this.revision = revision;
    this.releaseWaits();
  }

  /** Applies one ADDED, MODIFIED or DELETED event of the underlying watch. */
  apply(event: WatchEvent): void {
    const revision = revisionOf(event.object);
    if (revision <= this.revision) return;
    const object = deepFreeze(withEncodingSlot(event.object));
    const key = this.keyOf(object);
    let change: CacheEvent;
    if (event.type === 'DELETED') {
      const previous = this.store.delete(key);
      change = new CacheEvent('DELETED', key, object, previous ?? object, revision);
    } else {
      const previous = this.store.set(key, object);
      change = new CacheEvent(previous === undefined ? 'ADDED' : 'MODIFIED', key, object, previous ?? null, revision);
    }
    this.ring.push(change);
    this.revision = revision;
    this.onChange(change);
    this.releaseWaits();
  }

  /** Records that nothing below the prefix changed up to `revision` (a progress bookmark). */
  advanceTo(revision: number): void {
    if (revision <= this.revision) return;
    this.revision = revision;
    this.releaseWaits();
  }

  /** Resolves true once the cache has reached `revision`, false after `timeoutMs` or on cancelWaits. */
  waitUntilFresh(revision: number, timeoutMs: number): Promise<boolean> {
    if (revision <= this.revision) return Promise.resolve(true);
    return new Promise((resolve) => {
      const wait: FreshnessWait = {
        revision,
        resolve,
        timer: setTimeout(() => {
          this.waits = this.waits.filter((w) => w !== wait);
          resolve(false);
        }, timeoutMs),
      };
      this.waits.push(wait);
    });
  }

  /** Ends every pending wait as not fresh. */
  cancelWaits(): void {
    for (const wait of this.waits) {
      clearTimeout(wait.timer);
      wait.resolve(false);
    }
    this.waits = [];
  }

  private releaseWaits(): void {
    if (this.waits.length === 0) return;
    const pending: FreshnessWait[] = [];
    for (const wait of this.waits) {
      if (wait.revision <= this.revision) {
        clearTimeout(wait.timer);
        wait.resolve(true);
      } else {
        pending.push(wait);
      }
    }
    this.waits = pending;
  }
}
