import type { WatchEvent } from '../interface';
import type { CacheEvent } from './cache-event';
import type { CacheWatcher } from './cache-watcher';

/**
 * The running cache watchers, indexed so a change reaches only the watchers of
 * its key: single-key watchers by key, prefix watchers in one set.
 */
export class WatcherRegistry {
  private readonly byKey = new Map<string, Set<CacheWatcher>>();
  private readonly recursive = new Set<CacheWatcher>();
  private readonly wantingBookmarks = new Set<CacheWatcher>();

  add(watcher: CacheWatcher): void {
    if (watcher.recursive) {
      this.recursive.add(watcher);
    } else {
      let watchers = this.byKey.get(watcher.key);
      if (watchers === undefined) this.byKey.set(watcher.key, (watchers = new Set()));
      watchers.add(watcher);
    }
    if (watcher.progressNotify) this.wantingBookmarks.add(watcher);
  }

  remove(watcher: CacheWatcher): void {
    if (watcher.recursive) {
      this.recursive.delete(watcher);
    } else {
      const watchers = this.byKey.get(watcher.key);
      watchers?.delete(watcher);
      if (watchers?.size === 0) this.byKey.delete(watcher.key);
    }
    this.wantingBookmarks.delete(watcher);
  }

  dispatch(change: CacheEvent): void {
    for (const watcher of this.recursive) {
      if (watcher.watchesKey(change.key)) watcher.offer(change);
    }
    const watchers = this.byKey.get(change.key);
    if (watchers !== undefined) for (const watcher of watchers) watcher.offer(change);
  }

  /** Sends one shared BOOKMARK at `revision` to every watcher that asked for progress. */
  bookmark(revision: number): void {
    if (this.wantingBookmarks.size === 0) return;
    const bookmark: WatchEvent = Object.freeze({
      type: 'BOOKMARK',
      object: Object.freeze({ metadata: Object.freeze({ resourceVersion: String(revision) }) }),
    });
    for (const watcher of this.wantingBookmarks) watcher.offerBookmark(bookmark, revision);
  }

  /** Ends every watcher (each removes itself through its onStop). */
  stopAll(): void {
    for (const watcher of [...this.recursive]) watcher.stop();
    for (const watchers of [...this.byKey.values()]) for (const watcher of [...watchers]) watcher.stop();
  }
}
