/**
 * Admission: plugins that see every write after decoding and before storage.
 * Mutating plugins run first (and may change the object), then validating ones
 * (which may only refuse). A refusal is a thrown StatusError.
 */
import type { GroupVersionKind } from '../runtime';
import type { UserInfo } from '../registry/context';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE';

export interface AdmissionAttributes {
  operation: AdmissionOperation;
  /** The kind of the objects as the plugin sees them (the internal hub kind). */
  kind: GroupVersionKind;
  /** The resource as the client addressed it: its version is the one the request was written in. */
  resource: { group: string; version: string; resource: string };
  /**
   * '' for the object itself, else the subresource written (`status`, `scale`). A write
   * through `scale` carries the whole objects here (they change in their desired
   * replicas only); webhooks are sent their autoscaling/v1 Scale, as kube sends it.
   */
  subresource: string;
  namespace: string;
  name: string;
  /** The new object (CREATE, UPDATE); internal version. */
  object?: object;
  /** The stored object (UPDATE, DELETE); internal version. */
  oldObject?: object;
  user?: UserInfo;
  dryRun: boolean;
}

/**
 * Which writes a plugin is registered for: operations and group/resources
 * (`resource` may be `widgets`, `widgets/status`, or `*`; `group` may be `*`).
 * Unset parts match everything.
 */
export interface AdmissionMatch {
  operations?: AdmissionOperation[];
  resources?: { group: string; resource: string }[];
}

/** Whether a write falls under a registration. */
export function admissionMatches(match: AdmissionMatch | undefined, attrs: AdmissionAttributes): boolean {
  if (!match) return true;
  if (match.operations && !match.operations.includes(attrs.operation)) return false;
  if (!match.resources) return true;
  const path = attrs.subresource ? `${attrs.resource.resource}/${attrs.subresource}` : attrs.resource.resource;
  return match.resources.some((r) => (r.group === '*' || r.group === attrs.resource.group) && (r.resource === '*' || r.resource === path));
}

export interface MutatingAdmissionPlugin {
  readonly name: string;
  handles(operation: AdmissionOperation): boolean;
  admit(attrs: AdmissionAttributes): Promise<void> | void;
}

export interface ValidatingAdmissionPlugin {
  readonly name: string;
  handles(operation: AdmissionOperation): boolean;
  validate(attrs: AdmissionAttributes): Promise<void> | void;
}

/** Mutating plugins in order, then validating plugins in order, each for the writes it is registered for. */
export class AdmissionChain {
  private readonly mutating: { plugin: MutatingAdmissionPlugin; match?: AdmissionMatch }[] = [];
  private readonly validating: { plugin: ValidatingAdmissionPlugin; match?: AdmissionMatch }[] = [];

  addMutating(plugin: MutatingAdmissionPlugin, match?: AdmissionMatch): this {
    this.mutating.push({ plugin, match });
    return this;
  }

  addValidating(plugin: ValidatingAdmissionPlugin, match?: AdmissionMatch): this {
    this.validating.push({ plugin, match });
    return this;
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const { plugin, match } of this.mutating) {
      if (plugin.handles(attrs.operation) && admissionMatches(match, attrs)) await plugin.admit(attrs);
    }
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const { plugin, match } of this.validating) {
      if (plugin.handles(attrs.operation) && admissionMatches(match, attrs)) await plugin.validate(attrs);
    }
  }
}
