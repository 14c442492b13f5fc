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
  resource: { group: string; version: string; resource: string };
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

/** Mutating plugins in order, then validating plugins in order. */
export class AdmissionChain {
  private readonly mutating: MutatingAdmissionPlugin[] = [];
  private readonly validating: ValidatingAdmissionPlugin[] = [];

  addMutating(plugin: MutatingAdmissionPlugin): this {
    this.mutating.push(plugin);
    return this;
  }

  addValidating(plugin: ValidatingAdmissionPlugin): this {
    this.validating.push(plugin);
    return this;
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.mutating) if (plugin.handles(attrs.operation)) await plugin.admit(attrs);
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    for (const plugin of this.validating) if (plugin.handles(attrs.operation)) await plugin.validate(attrs);
  }
}
