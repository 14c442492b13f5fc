/**
 * The namespace controller: when a namespace is being deleted, delete everything
 * in it from every namespaced resource, and once it is empty remove the namespace
 * finalizer so the namespace itself goes.
 */
import type { Logger } from 'pino';
import type { StatusError } from '../../api/status';
import { newRequestContext } from '../../registry/context';
import type { Store } from '../../registry/store';
import type { NamespaceStore } from './store';

const RETRY_MS = 1000;

export class NamespaceController {
  private readonly pending = new Set<string>();
  private working = false;

  constructor(
    private readonly namespaces: NamespaceStore,
    /** The Stores of every namespaced resource, each once. */
    private readonly contentStores: () => Store[],
    private readonly logger: Logger,
    private readonly signal: AbortSignal,
  ) {}

  /** Watches namespaces until the signal aborts, re-watching after errors. */
  async run(): Promise<void> {
    while (!this.signal.aborted) {
      try {
        const watcher = await this.namespaces.watch(newRequestContext());
        const stop = () => watcher.stop();
        this.signal.addEventListener('abort', stop, { once: true });
        for await (const event of watcher) {
          if ((event.type === 'ADDED' || event.type === 'MODIFIED') && event.object.metadata.deletionTimestamp) {
            this.enqueue(event.object.metadata.name ?? '');
          }
        }
        this.signal.removeEventListener('abort', stop);
      } catch (err) {
        this.logger.warn({ err }, 'namespace watch failed; retrying');
      }
      if (!this.signal.aborted) await sleep(RETRY_MS);
    }
  }

  private enqueue(name: string): void {
    this.pending.add(name);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (this.pending.size > 0 && !this.signal.aborted) {
        const [name] = this.pending;
        this.pending.delete(name);
        const done = await this.finalize(name).catch((err: unknown) => {
          // Storage closing under us during shutdown is not worth a warning.
          if (this.signal.aborted) return true;
          this.logger.warn({ err, namespace: name }, 'namespace cleanup failed; retrying');
          return false;
        });
        if (!done) setTimeout(() => this.enqueue(name), RETRY_MS).unref();
      }
    } finally {
      this.working = false;
    }
  }

  /** True when the namespace is empty and has been finalized. */
  private async finalize(name: string): Promise<boolean> {
    const ctx = newRequestContext({ namespace: name });
    let remaining = 0;
    for (const store of this.contentStores()) {
      await store.deleteCollection(ctx, {});
      remaining += (await store.list(ctx, {})).items.length;
    }
    if (remaining > 0) return false;
    await this.namespaces.finalize(name).catch((err: unknown) => {
      // Already gone: someone else finished the job.
      if ((err as StatusError).reason !== 'NotFound') throw err;
    });
    this.logger.info({ namespace: name }, 'namespace finalized');
    return true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
