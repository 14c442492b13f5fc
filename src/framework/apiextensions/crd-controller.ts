/**
 * The CRD controller: apiextensions' naming, establishing and finalizing
 * controllers in one queue. For each CRD it records which names are accepted
 * (NamesAccepted, Established, acceptedNames), serves established CRDs, and
 * when one is deleted marks it Terminating, deletes its custom resources and
 * then removes the cleanup finalizer, which lets the CRD go.
 */
import type { Logger } from 'pino';
import { isNotFound } from '../api/status';
import { newRequestContext } from '../registry/context';
import { nowTimestamp } from '../registry/names';
import { findCondition, isConditionTrue, setCondition } from './conditions';
import type { CustomResourceDefinitionStore } from './crd-store';
import type { CustomResourceServing } from './custom-resource-serving';
import { acceptNames } from './names';
import { CUSTOM_RESOURCE_CLEANUP_FINALIZER, ESTABLISHED, TERMINATING, type CustomResourceDefinition } from './types';

const RETRY_MS = 1000;

export interface CRDControllerOptions {
  crds: CustomResourceDefinitionStore;
  serving: CustomResourceServing;
  /** Whether the server serves the group with types of its own (not custom resources). */
  isBuiltInGroup(group: string): boolean;
  logger: Logger;
  signal: AbortSignal;
}

export class CRDController {
  private readonly pending = new Set<string>();
  private working = false;
  private idle: Promise<void> = Promise.resolve();

  constructor(private readonly options: CRDControllerOptions) {}

  /** Handles every CRD stored now (so that existing CRDs are served at once), then follows changes until the signal aborts. */
  async start(): Promise<void> {
    const { items } = await this.options.crds.list(newRequestContext());
    for (const item of items) this.enqueue(item.metadata.name ?? '');
    await this.idle;
    void this.run();
  }

  private async run(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      try {
        const watcher = await this.options.crds.watch(newRequestContext());
        const stop = () => watcher.stop();
        signal.addEventListener('abort', stop, { once: true });
        for await (const event of watcher) {
          if (event.type === 'ERROR' || event.type === 'BOOKMARK') continue;
          this.enqueue(event.object.metadata.name ?? '');
          // A CRD that goes frees its names for the others of its group.
          if (event.type === 'DELETED') for (const other of await this.sameGroup(event.object as unknown as CustomResourceDefinition)) this.enqueue(other);
        }
        signal.removeEventListener('abort', stop);
      } catch (err) {
        if (!signal.aborted) this.options.logger.warn({ err }, 'CustomResourceDefinition watch failed; retrying');
      }
      if (!signal.aborted) await sleep(RETRY_MS);
    }
  }

  private enqueue(name: string): void {
    this.pending.add(name);
    if (!this.working) this.idle = this.drain();
  }

  private async drain(): Promise<void> {
    this.working = true;
    try {
      while (this.pending.size > 0 && !this.options.signal.aborted) {
        const [name] = this.pending;
        this.pending.delete(name);
        const done = await this.sync(name).catch((err: unknown) => {
          if (this.options.signal.aborted) return true;
          this.options.logger.warn({ err, crd: name }, 'CustomResourceDefinition sync failed; retrying');
          return false;
        });
        if (!done) setTimeout(() => this.enqueue(name), RETRY_MS).unref();
      }
    } finally {
      this.working = false;
    }
  }

  /** Brings one CRD's status and serving up to date; false when it must be tried again later. */
  private async sync(name: string): Promise<boolean> {
    const crd = await this.get(name);
    if (!crd) {
      this.options.serving.remove(name);
      return true;
    }
    if (crd.metadata.deletionTimestamp) return this.finalize(crd);
    const { crds, isBuiltInGroup } = this.options;
    const others = (await crds.list(newRequestContext())).items.map((item) => crds.definition(item));
    const builtIn = isBuiltInGroup(crd.spec.group) && !this.options.serving.servesGroup(crd.spec.group);
    const names = acceptNames(crd, others, builtIn);
    const updated = await this.updateStatus(name, (current) => {
      const now = nowTimestamp();
      current.status!.acceptedNames = names.acceptedNames;
      setCondition(current, names.namesAccepted, now);
      if (names.established) setCondition(current, names.established, now);
    });
    if (isConditionTrue(updated, ESTABLISHED)) this.options.serving.serve(updated);
    return true;
  }

  /**
   * A CRD being deleted: no new objects, every object deleted, then the
   * finalizer goes. Objects with finalizers of their own are waited for.
   */
  private async finalize(crd: CustomResourceDefinition): Promise<boolean> {
    const name = crd.metadata.name ?? '';
    const { serving } = this.options;
    if (isConditionTrue(crd, ESTABLISHED)) serving.serve(crd);
    serving.markTerminating(name);
    const store = serving.storeOf(name);
    if (store) {
      if (findCondition(crd, TERMINATING)?.reason !== 'InstanceDeletionInProgress') {
        await this.updateStatus(name, (current) =>
          setCondition(current, { type: TERMINATING, status: 'True', reason: 'InstanceDeletionInProgress', message: 'CustomResource deletion is in progress' }, nowTimestamp()),
        );
      }
      const ctx = newRequestContext();
      await store.deleteCollection(ctx, {});
      const remaining = (await store.list(ctx, {})).items.length;
      if (remaining > 0) {
        this.options.logger.info({ crd: name, remaining }, 'waiting for custom resources to be deleted');
        return false;
      }
    }
    await this.options.crds
      .update(newRequestContext(), name, {
        objInfo: (current) => {
          if (!current) throw new Error(`${name} is gone`);
          current.metadata.finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CUSTOM_RESOURCE_CLEANUP_FINALIZER);
          return current;
        },
      })
      .catch((err: unknown) => {
        // Gone already: what this was for.
        if (!isNotFound(err)) throw err;
      });
    return true;
  }

  private async get(name: string): Promise<CustomResourceDefinition | undefined> {
    const { crds } = this.options;
    try {
      return crds.definition(await crds.get(newRequestContext(), name));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async updateStatus(name: string, change: (crd: CustomResourceDefinition) => void): Promise<CustomResourceDefinition> {
    const { crds } = this.options;
    const result = await crds.update(newRequestContext(), name, {
      subresource: 'status',
      objInfo: (current) => {
        if (!current) throw new Error(`${name} is gone`);
        const crd = current as CustomResourceDefinition;
        crd.status ??= {};
        change(crd);
        return crd;
      },
    });
    return crds.definition(result.object);
  }

  private async sameGroup(deleted: CustomResourceDefinition): Promise<string[]> {
    const { items } = await this.options.crds.list(newRequestContext());
    return items
      .map((item) => this.options.crds.definition(item))
      .filter((crd) => crd.spec.group === deleted.spec?.group)
      .map((crd) => crd.metadata.name ?? '');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
