/**
 * The namespace controller: when a namespace is being deleted, delete everything
 * in it from every namespaced resource — the server's own and, on an aggregator,
 * those of the servers behind it — keep kube's deletion conditions on its status,
 * and once it is empty remove the namespace finalizer so the namespace itself goes.
 */
import type { Logger } from 'pino';
import { isNotFound } from '../../api/status';
import { newRequestContext } from '../../registry/context';
import { nowTimestamp } from '../../registry/names';
import type { NamespacedContentSource } from './content';
import { deleteAllContent, isContentDeleted } from './content-deleter';
import { mergeConditions, namespaceDeletionConditions, type DeletionCondition } from './deletion-conditions';
import type { NamespaceStore } from './store';
import { NAMESPACE_FINALIZER, type Namespace } from './types';

const RETRY_MS = 1000;
/** A namespace that stays stuck (an APIService down for hours) is retried less and less often, down to this. */
const MAX_RETRY_MS = 10_000;

export class NamespaceController {
  private readonly pending = new Set<string>();
  /** Namespaces waiting to be retried → how many passes in a row left them unfinished. */
  private readonly failures = new Map<string, number>();
  private readonly retrying = new Set<string>();
  private readonly sources: NamespacedContentSource[];
  private working = false;

  constructor(
    private readonly namespaces: NamespaceStore,
    /** The server's own namespaced content. */
    localContent: NamespacedContentSource,
    private readonly logger: Logger,
    private readonly signal: AbortSignal,
  ) {
    this.sources = [localContent];
  }

  /** Adds content served elsewhere (the servers behind an aggregator); used from the next pass on. */
  addContentSource(source: NamespacedContentSource): void {
    this.sources.push(source);
  }

  /** Runs every namespace waiting for a retry at once: what kept it may be gone (an APIService back). */
  retryNow(): void {
    for (const name of this.failures.keys()) this.enqueue(name);
  }

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

  /** Tries the namespace again in a while (longer after each unfinished pass), once however often it is asked for. */
  private retryLater(name: string): void {
    const failures = (this.failures.get(name) ?? 0) + 1;
    this.failures.set(name, failures);
    if (this.retrying.has(name)) return;
    this.retrying.add(name);
    setTimeout(() => {
      this.retrying.delete(name);
      this.enqueue(name);
    }, Math.min(RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS)).unref();
  }

  private async drain(): Promise<void> {
    if (this.working) return;
    this.working = true;
    try {
      while (this.pending.size > 0 && !this.signal.aborted) {
        const [name] = this.pending;
        this.pending.delete(name);
        const done = await this.sync(name).catch((err: unknown) => {
          // Storage closing under us during shutdown is not worth a warning.
          if (this.signal.aborted) return true;
          this.logger.warn({ err, namespace: name }, 'namespace cleanup failed; retrying');
          return false;
        });
        if (done) this.failures.delete(name);
        else this.retryLater(name);
      }
    } finally {
      this.working = false;
    }
  }

  /** True when the namespace needs nothing more from us: gone, not terminating, or emptied and finalized. */
  private async sync(name: string): Promise<boolean> {
    const namespace = await this.getNamespace(name);
    if (!namespace?.metadata.deletionTimestamp || !namespace.spec?.finalizers?.includes(NAMESPACE_FINALIZER)) return true;
    const outcome = await deleteAllContent(name, this.sources);
    // Every pass says where deletion stands, so a stuck namespace explains itself.
    await this.writeConditions(namespace, namespaceDeletionConditions(outcome));
    if (!isContentDeleted(outcome)) return false;
    await this.namespaces.finalize(name).catch((err: unknown) => {
      // Already gone: someone else finished the job.
      if (!isNotFound(err)) throw err;
    });
    this.logger.info({ namespace: name }, 'namespace finalized');
    return true;
  }

  private async getNamespace(name: string): Promise<Namespace | undefined> {
    try {
      return (await this.namespaces.get(newRequestContext(), name)) as unknown as Namespace;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async writeConditions(namespace: Namespace, conditions: DeletionCondition[]): Promise<void> {
    const name = namespace.metadata.name ?? '';
    const now = nowTimestamp();
    if (!mergeConditions(namespace.status?.conditions, conditions, now)) return;
    this.logger.info({ namespace: name, conditions: conditions.filter((c) => c.status === 'True') }, 'namespace deletion conditions changed');
    await this.namespaces
      .update(newRequestContext(), name, {
        subresource: 'status',
        objInfo: (current) => {
          const next = current!;
          next.status = { ...next.status, conditions: mergeConditions(next.status?.conditions, conditions, now) ?? next.status?.conditions };
          return next;
        },
      })
      .catch((err: unknown) => {
        if (!isNotFound(err)) this.logger.warn({ err, namespace: name }, 'cannot update the namespace deletion conditions');
      });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
