import { isStorageError } from '../errors';
import type { StorageInterface, StoredObject, Watcher } from '../interface';
import { parseRevision, revisionOf } from './revision';
import type { WatchCache } from './watch-cache';

/** Items fetched per page when (re)listing, so one response stays far below gRPC's 4 MiB limit. */
const LIST_PAGE_SIZE = 500;
const FIRST_RETRY_MS = 50;
const MAX_RETRY_MS = 2000;

export interface ReflectorHooks {
  /** The cache holds a fresh list and follows the watch from it. */
  onSynced(): void;
  /** The cache lost continuity (the watch could not resume); it relists next. */
  onDesynced(): void;
}

/** Raised inside the watch loop when the storage says the revision we resume from is compacted. */
class ResumeExpired extends Error {}

/**
 * Keeps a WatchCache in step with the storage: list the prefix, then watch from
 * the list's revision. When the watch ends or fails it resumes from the last
 * revision the cache holds; only when that revision is gone (410) does it relist.
 * Retries back off exponentially (50 ms doubling to 2 s).
 */
export class Reflector {
  private stopped = false;
  private watcher: Watcher | null = null;
  private sleeping: { timer: NodeJS.Timeout; wake: () => void } | null = null;

  constructor(
    private readonly storage: StorageInterface,
    private readonly prefix: string,
    private readonly cache: WatchCache,
    private readonly hooks: ReflectorHooks,
  ) {}

  /** Runs until stop(); never rejects. */
  async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        const { items, revision } = await this.listAll();
        if (this.stopped) return;
        this.cache.replace(items, revision);
        this.hooks.onSynced();
        failures = 0;
        await this.followWatch();
      } catch {
        // Every failure ends in a relist after the backoff below.
      }
      if (this.stopped) return;
      this.hooks.onDesynced();
      await this.sleep(backoff(failures++));
    }
  }

  stop(): void {
    this.stopped = true;
    this.watcher?.stop();
    if (this.sleeping !== null) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.wake();
    }
  }

  private async listAll(): Promise<{ items: StoredObject[]; revision: number }> {
    const items: StoredObject[] = [];
    let page = await this.storage.list(this.prefix, { limit: LIST_PAGE_SIZE });
    const revision = parseRevision(page.resourceVersion);
    if (revision === undefined) throw new Error(`list of ${this.prefix} returned resourceVersion "${page.resourceVersion}"`);
    items.push(...page.items);
    while (page.continue !== undefined && page.continue !== '') {
      page = await this.storage.list(this.prefix, { limit: LIST_PAGE_SIZE, continue: page.continue });
      items.push(...page.items);
    }
    return { items, revision };
  }

  /** Follows the watch, resuming after interruptions; returns when a relist is needed, or on stop. */
  private async followWatch(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      const resumedAt = this.cache.resourceVersion;
      try {
        await this.watchOnce(resumedAt);
      } catch (err) {
        if (err instanceof ResumeExpired || isStorageError(err, 'Expired')) return;
      }
      if (this.stopped) return;
      failures = this.cache.resourceVersion > resumedAt ? 0 : failures + 1;
      await this.sleep(backoff(failures));
    }
  }

  private async watchOnce(fromRevision: number): Promise<void> {
    const watcher = await this.storage.watch(this.prefix, {
      resourceVersion: String(fromRevision),
      recursive: true,
      progressNotify: true,
    });
    if (this.stopped) {
      watcher.stop();
      return;
    }
    this.watcher = watcher;
    try {
      for await (const event of watcher) {
        switch (event.type) {
          case 'BOOKMARK':
            this.cache.advanceTo(revisionOf(event.object));
            break;
          case 'ERROR':
            if (event.object.code === 410) throw new ResumeExpired();
            return;
          default:
            this.cache.apply(event);
        }
      }
    } finally {
      this.watcher = null;
      watcher.stop();
    }
  }

  private sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((wake) => {
      this.sleeping = {
        timer: setTimeout(() => {
          this.sleeping = null;
          wake();
        }, ms),
        wake,
      };
    });
  }
}

function backoff(failures: number): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** failures);
  return ceiling / 2 + Math.random() * (ceiling / 2);
}
