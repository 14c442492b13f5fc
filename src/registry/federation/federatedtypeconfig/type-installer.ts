/**
 * Serves a Federated<Kind> for every FederatedTypeConfig, without a restart:
 * it follows the stored configurations (list, then watch; every replica of the
 * host does the same), makes the kind's classes and Store the first time a kind
 * is asked for, and installs types.federation.example.com again whenever the
 * set of served kinds changes. Each configuration's Established condition says
 * whether its kind is served and, if not, why.
 *
 * A kind once registered keeps its classes and Store for the life of the
 * process (a Scheme never forgets a type): deleting its configuration stops
 * serving it, and a new configuration for the same kind serves it again, with
 * the objects stored meanwhile. Only its scope cannot change without a restart.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import {
  apiVersionOf,
  newRequestContext,
  type APIGroupInfo,
  type Condition,
  type GenericAPIServer,
  type GroupInstallContext,
  type Store,
  type StoredObject,
} from '../../../index';
import { federatedKindClasses, federatedKindOf, type FederatedKind } from '../../../apis/federation/federated-kind';
import type { FederatedObject } from '../../../apis/federation/federated-types';
import { CONDITION_ESTABLISHED, TYPES_GROUP, VERSION, type FederatedTypeConfig, type TargetType } from '../../../apis/federation/types';
import { federatedStrategy, type TemplateKind } from '../federated/strategy';
import { newFederationStore } from '../store';

interface ServedKind {
  federated: FederatedKind;
  store: Store<FederatedObject>;
  /** What templates must be, from the configuration that serves the kind now. */
  template?: TemplateKind;
}

/** Whether a configuration's kind is served, as its Established condition says it. */
interface Outcome {
  established: boolean;
  reason: string;
  message: string;
  federated: FederatedKind;
}

const RETRY_MS = 1000;

function targetOf(config: StoredObject): TargetType {
  return (config as unknown as FederatedTypeConfig).spec?.targetType as TargetType;
}

/** Oldest first, so that of two configurations asking for one kind the first keeps it. */
function byAge(a: StoredObject, b: StoredObject): number {
  const [ta, tb] = [String(a.metadata.creationTimestamp ?? ''), String(b.metadata.creationTimestamp ?? '')];
  return ta === tb ? String(a.metadata.name).localeCompare(String(b.metadata.name)) : ta.localeCompare(tb);
}

export class FederatedTypeInstaller {
  private readonly kinds = new Map<string, ServedKind>();
  private configs = new Map<string, StoredObject>();
  /** The plurals served now, to install the group only when they change. */
  private servedPlurals = '';
  /** Which configuration serves each federated kind now: it keeps the kind against any newcomer. */
  private holders = new Map<string, string>();

  constructor(
    private readonly ctx: GroupInstallContext,
    private readonly typeConfigs: Store<FederatedTypeConfig>,
    /** FederatedNamespace, served always. */
    private readonly federatedNamespaces: Store<FederatedObject>,
    private readonly logger: Logger,
  ) {}

  /** The group as served before any configuration is read: FederatedNamespace only. */
  initialGroup(): APIGroupInfo {
    return this.group([]);
  }

  /** Follows the configurations until the signal aborts; never rejects. */
  async run(server: GenericAPIServer, signal: AbortSignal): Promise<void> {
    const ctx = newRequestContext();
    while (!signal.aborted) {
      try {
        const list = await this.typeConfigs.list(ctx);
        this.configs = new Map(list.items.map((item) => [String(item.metadata.name), item]));
        await this.apply(server);
        const watcher = await this.typeConfigs.watch(ctx, { resourceVersion: list.resourceVersion });
        const stop = () => watcher.stop();
        signal.addEventListener('abort', stop, { once: true });
        try {
          for await (const event of watcher) {
            const name = String(event.object.metadata.name);
            if (event.type === 'ADDED' || event.type === 'MODIFIED') this.configs.set(name, event.object);
            else if (event.type === 'DELETED') this.configs.delete(name);
            else continue;
            await this.apply(server);
          }
        } finally {
          signal.removeEventListener('abort', stop);
        }
      } catch (err) {
        if (!signal.aborted) this.logger.warn({ err }, 'following FederatedTypeConfigs failed; listing again');
      }
      await delay(RETRY_MS, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Serves what the configurations ask for and reports the outcome on each. */
  private async apply(server: GenericAPIServer): Promise<void> {
    const active = new Map<string, ServedKind>();
    const outcomes = new Map<string, Outcome>();
    // The configuration serving a kind keeps it; otherwise the oldest wins (creation
    // times have second precision, so two made in one second fall back to name order).
    const holds = (config: StoredObject) => this.holders.get(federatedKindOf(targetOf(config)).kind) === String(config.metadata.name);
    const holdersFirst = (a: StoredObject, b: StoredObject) => Number(holds(b)) - Number(holds(a)) || byAge(a, b);
    const holders = new Map<string, string>();
    for (const config of [...this.configs.values()].sort(holdersFirst)) {
      const target = targetOf(config);
      const federated = federatedKindOf(target);
      const outcome = (established: boolean, reason: string, message: string) => outcomes.set(String(config.metadata.name), { established, reason, message, federated });
      const known = this.kinds.get(federated.kind);
      if (active.has(federated.kind)) {
        outcome(false, 'KindConflict', `${federated.kind} is already served for another FederatedTypeConfig`);
      } else if (known && known.federated.namespaced !== federated.namespaced) {
        outcome(false, 'ScopeChanged', `${federated.kind} was served ${known.federated.namespaced ? 'namespaced' : 'cluster-scoped'}; restart the server to change its scope`);
      } else {
        const served = known ?? this.register(federated);
        served.template = { apiVersion: apiVersionOf({ group: target.group ?? '', version: target.version }), kind: target.kind };
        active.set(federated.kind, served);
        holders.set(federated.kind, String(config.metadata.name));
        outcome(true, 'Served', `the host serves ${federated.plural}.${TYPES_GROUP}`);
      }
    }
    this.holders = holders;
    const plurals = [...active.values()].map((k) => k.federated.plural).sort().join(',');
    if (plurals !== this.servedPlurals) {
      server.installAPIGroup(this.group([...active.values()]));
      this.servedPlurals = plurals;
      this.logger.info({ federatedTypes: plurals }, 'serving federated types');
    }
    for (const [name, outcome] of outcomes) await this.report(name, outcome);
  }

  private register(federated: FederatedKind): ServedKind {
    const { hub, versioned } = federatedKindClasses(federated);
    this.ctx.scheme.addKnownTypes(hub, versioned);
    const strategy = federatedStrategy(() => this.kinds.get(federated.kind)?.template);
    const served: ServedKind = { federated, store: newFederationStore<FederatedObject>(this.ctx, TYPES_GROUP, federated.plural, strategy) };
    this.kinds.set(federated.kind, served);
    return served;
  }

  private group(kinds: ServedKind[]): APIGroupInfo {
    const resources: Record<string, Store> = { federatednamespaces: this.federatedNamespaces, 'federatednamespaces/status': this.federatedNamespaces };
    for (const { federated, store } of kinds) {
      resources[federated.plural] = store;
      resources[`${federated.plural}/status`] = store;
    }
    return { group: TYPES_GROUP, scheme: this.ctx.scheme, versionedResources: { [VERSION]: resources } };
  }

  /** Writes the Established condition and the served type when they differ from the stored ones. */
  private async report(name: string, outcome: Outcome): Promise<void> {
    const status = outcome.established ? 'True' : 'False';
    try {
      await this.typeConfigs.update(newRequestContext(), name, {
        subresource: 'status',
        objInfo: (current) => {
          if (!current) throw new Error(`FederatedTypeConfig ${name} is gone`);
          const conditions = current.status?.conditions ?? [];
          const old = conditions.find((c) => c.type === CONDITION_ESTABLISHED);
          const condition: Condition = {
            type: CONDITION_ESTABLISHED,
            status,
            observedGeneration: current.metadata.generation,
            lastTransitionTime: old?.status === status ? old.lastTransitionTime : new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
            reason: outcome.reason,
            message: outcome.message,
          };
          current.status = {
            conditions: [...conditions.filter((c) => c.type !== CONDITION_ESTABLISHED), condition],
            federatedType: outcome.established ? { group: TYPES_GROUP, version: VERSION, kind: outcome.federated.kind, plural: outcome.federated.plural } : undefined,
          };
          return current;
        },
      });
    } catch (err) {
      // Deleted meanwhile: the next event says so.
      if ((err as { reason?: string }).reason !== 'NotFound') this.logger.warn({ err, federatedTypeConfig: name }, 'FederatedTypeConfig status not written');
    }
  }
}
