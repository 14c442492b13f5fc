/**
 * ClusterRole aggregation, as kube-controller-manager's clusterrole-aggregation
 * controller does it: a ClusterRole with an aggregationRule gets as its rules
 * those of every other ClusterRole its selectors match (selector by selector,
 * roles in name order, each rule once), and keeps them so while ClusterRoles
 * are created, relabelled, changed or deleted. Several servers over one storage may
 * each run it: they compute the same rules, and an update that changes nothing
 * writes nothing.
 */
import type { Logger } from 'pino';
import { labelSelectorFromObject } from '../../api/labels';
import { isStatusError, newNotFound } from '../../api/status';
import { newRequestContext } from '../../registry/context';
import { deepEqualJSON } from '../../registry/deep-equal';
import type { Store } from '../../registry/store';
import type { StoredObject } from '../../storage/interface';
import type { Rule } from './rules';
import type { AggregationRule } from './types';

const RETRY_DELAY_MS = 1000;

interface StoredClusterRole extends StoredObject {
  rules?: Rule[];
  aggregationRule?: AggregationRule;
}

/** The rules an aggregating ClusterRole should hold, from the ClusterRoles there are. */
export function aggregatedRules(aggregating: StoredObject, clusterRoles: readonly StoredObject[]): Rule[] {
  const role = aggregating as StoredClusterRole;
  const byName = [...(clusterRoles as StoredClusterRole[])].sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  const rules: Rule[] = [];
  for (const selectorObject of role.aggregationRule?.clusterRoleSelectors ?? []) {
    const selector = labelSelectorFromObject(selectorObject);
    for (const other of byName) {
      if (other.metadata.name === role.metadata.name || !selector.matches(other.metadata.labels as Record<string, string> | undefined)) continue;
      for (const rule of other.rules ?? []) {
        if (!rules.some((held) => deepEqualJSON(held, rule))) rules.push(rule);
      }
    }
  }
  return rules;
}

export class ClusterRoleAggregator {
  private syncing = false;
  private syncAgain = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly clusterRoles: Store,
    /** The ClusterRoles as an informer holds them. */
    private readonly current: () => StoredObject[],
    private readonly logger: Logger,
  ) {}

  /** To be called after every change to ClusterRoles: brings every aggregating one up to date, once more if changes come in meanwhile. */
  changed(): void {
    if (this.stopped) return;
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    this.syncing = true;
    void this.syncUntilSettled();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
  }

  private async syncUntilSettled(): Promise<void> {
    do {
      this.syncAgain = false;
      try {
        await this.syncAll();
      } catch (err) {
        if (this.stopped) break;
        this.logger.warn({ err: (err as Error).message }, 'aggregating ClusterRoles failed; trying again');
        clearTimeout(this.retry);
        this.retry = setTimeout(() => this.changed(), RETRY_DELAY_MS).unref();
      }
    } while (this.syncAgain && !this.stopped);
    this.syncing = false;
  }

  private async syncAll(): Promise<void> {
    for (const role of this.current() as StoredClusterRole[]) {
      if (this.stopped) return;
      if (role.aggregationRule && !this.inSync(role)) await this.sync(role);
    }
  }

  private inSync(role: StoredClusterRole): boolean {
    try {
      return deepEqualJSON(aggregatedRules(role, this.current()), role.rules ?? []);
    } catch (err) {
      // Stored by an older server, which did not validate selectors: nothing to aggregate until it is fixed.
      if (!isStatusError(err) || err.code !== 400) throw err;
      this.logger.warn({ clusterRole: role.metadata.name, err: err.message }, 'not aggregating ClusterRole: invalid clusterRoleSelectors');
      return true;
    }
  }

  private async sync(role: StoredClusterRole): Promise<void> {
    // Computed again from the role as stored: it may have changed since the informer saw it.
    await this.clusterRoles
      .update(newRequestContext(), role.metadata.name ?? '', {
        objInfo: (latest) => {
          // Deleted meanwhile: not to be created again (ClusterRoles allow create on update).
          if (!latest) throw newNotFound(this.clusterRoles.groupResource, role.metadata.name ?? '');
          const stored = latest as unknown as StoredClusterRole;
          if (stored.aggregationRule) stored.rules = aggregatedRules(stored, this.current());
          return latest;
        },
      })
      .catch((err: unknown) => {
        if (!isStatusError(err) || err.code !== 404) throw err;
      });
  }
}
