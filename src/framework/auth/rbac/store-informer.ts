/**
 * Keeps every object of one Store in memory: a list, then a watch from the
 * list's revision, relisting whenever the watch ends in an error (410 Gone
 * after compaction, storage away). What RBAC decides from must not cost a
 * storage read per request.
 */
import type { Logger } from 'pino';
import { newRequestContext } from '../../registry/context';
import type { Store } from '../../registry/store';
import type { StoredObject } from '../../storage/interface';

const RETRY_DELAY_MS = 1000;

function keyOf(obj: StoredObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

export class StoreInformer {
  private readonly objects = new Map<string, StoredObject>();
  private resourceVersion = '';
  private stopped = false;
  private stopWatch: (() => void) | undefined;

  /** onChange runs after every change to the objects held. */
  constructor(
    private readonly store: Store,
    private readonly onChange: () => void,
    private readonly logger: Logger,
  ) {}

  /** Every object held, in no particular order. */
  list(): StoredObject[] {
    return [...this.objects.values()];
  }

  /** Resolves once the first list is in; then follows changes until stop(). */
  async start(): Promise<void> {
    await this.relist();
    void this.follow();
  }

  stop(): void {
    this.stopped = true;
    this.stopWatch?.();
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await this.store.list(newRequestContext());
    this.objects.clear();
    for (const item of items) this.objects.set(keyOf(item), item);
    this.resourceVersion = resourceVersion;
    this.onChange();
  }

  private async follow(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.watchOnce();
        if (this.stopped) return;
      } catch (err) {
        if (this.stopped) return;
        this.logger.warn({ err: (err as Error).message, resource: this.store.groupResource }, 'watch failed; listing again');
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS));
        await this.relist().catch(() => undefined);
      }
    }
  }

  /** One watch from the held revision; returns when it ends cleanly, throws to ask for a relist. */
  private async watchOnce(): Promise<void> {
    const watcher = await this.store.watch(newRequestContext(), { resourceVersion: this.resourceVersion, allowBookmarks: true });
    this.stopWatch = () => watcher.stop();
    if (this.stopped) watcher.stop();
    for await (const event of watcher) {
      if (event.type === 'ERROR') throw new Error((event.object as { message?: string }).message ?? 'watch error');
      this.resourceVersion = event.object.metadata.resourceVersion ?? this.resourceVersion;
      if (event.type === 'BOOKMARK') continue;
      if (event.type === 'DELETED') this.objects.delete(keyOf(event.object));
      else this.objects.set(keyOf(event.object), event.object);
      this.onChange();
    }
  }
}
