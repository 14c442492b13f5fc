/**
 * The field manager of one served resource version (k8s.io/apiserver's FieldManager):
 * it keeps metadata.managedFields up to date on every write and performs server-side
 * apply. It works on plain objects in the served version.
 */
import { apiVersionOf, parseApiVersion, type GroupVersionKind, type ManagedFieldsEntry } from '../../api/meta';
import { newBadRequest, StatusError } from '../../api/status';
import { isRecord } from '../../runtime/json-value';
import { nowTimestamp } from '../../registry/names';
import { compareValues } from './compare';
import { ApplyConflicts } from './conflicts';
import { fieldElement } from './field-path';
import { FieldSet } from './field-set';
import {
  capUpdateManagers,
  copyManaged,
  decodeManagedFields,
  emptyManaged,
  encodeManagedFields,
  isResetManagedFields,
  managerId,
  type Managed,
} from './managed-fields';
import { TypedValueError, validatedFieldSetOf } from './to-field-set';
import { Updater, type FieldFilter, type PlainObject, type ResourceVersions } from './updater';

export interface FieldManagerOptions {
  versions: ResourceVersions;
  /** The served version requests come in. */
  kind: GroupVersionKind;
  /** '' for the resource itself, 'status' for its status subresource, 'scale' for the Scale of the scale subresource. */
  subresource: '' | 'status' | 'scale';
  /** With a status subresource, writes to the resource itself never own status. */
  hasStatusSubresource: boolean;
}

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** kubectl's server-side apply: its applies may take over what client-side apply set, and keep the annotation in step. */
const KUBECTL = 'kubectl';
/** Owns what an object held before its first apply, when nothing tracked it. */
const BEFORE_FIRST_APPLY = 'before-first-apply';
/** Stands in for the updater while its own earlier set must not count as its own. */
const CURRENT_OPERATION = 'current-operation';
const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** Paths nobody owns: type and object identity, and what the server sets. */
const SERVER_OWNED = FieldSet.of(
  [['apiVersion'], ['kind'], ['metadata']].map((p) => p.map(fieldElement)).concat(
    ['name', 'namespace', 'creationTimestamp', 'selfLink', 'uid', 'clusterName', 'generation', 'managedFields', 'resourceVersion'].map((f) => [
      fieldElement('metadata'),
      fieldElement(f),
    ]),
  ),
);
const STATUS = FieldSet.of([[fieldElement('status')]]);

function ignoredFields(options: FieldManagerOptions): FieldFilter {
  if (options.subresource === 'status') {
    const status = fieldElement('status');
    return (set) => FieldSet.fromNode(set.hasMember(status) ? [status] : [], [[status, set.child(status)]]);
  }
  if (options.hasStatusSubresource) return (set) => set.recursiveDifference(STATUS);
  return (set) => set;
}

function metadataOf(obj: PlainObject | null): Record<string, unknown> {
  return obj && isRecord(obj.metadata) ? obj.metadata : {};
}

/** The object's metadata.managedFields as they are, when it has a list there. */
export function managedFieldsOf(obj: PlainObject | null): ManagedFieldsEntry[] | undefined {
  const entries = metadataOf(obj).managedFields;
  return Array.isArray(entries) ? (entries as ManagedFieldsEntry[]) : undefined;
}

function withoutManagedFields(obj: PlainObject): PlainObject {
  if (!isRecord(obj.metadata) || obj.metadata.managedFields === undefined) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

/** The current manager's fields without those nobody owns; an empty set removes the manager. */
function stripServerOwned(managed: Managed, id: string): void {
  const owned = managed.fields.get(id);
  if (!owned) return;
  const set = owned.set.difference(SERVER_OWNED);
  if (set.isEmpty()) managed.fields.delete(id);
  else managed.fields.set(id, { ...owned, set });
}

/** JSON as Go's encoding/json writes it (sorted keys, HTML characters escaped) plus a newline, as kubectl stores its annotation. */
function goJSON(value: unknown): string {
  const encode = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(encode).join(',')}]`;
    if (isRecord(v)) {
      const keys = Object.keys(v)
        .filter((k) => v[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${encode(k)}:${encode(v[k])}`).join(',')}}`;
    }
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  };
  return `${encode(value)}\n`;
}

export class FieldManager {
  private readonly updater: Updater;
  private readonly apiVersion: string;

  constructor(private readonly options: FieldManagerOptions) {
    this.updater = new Updater(options.versions, ignoredFields(options));
    this.apiVersion = apiVersionOf(options.kind);
  }

  /**
   * The managedFields after a create, update or non-apply patch by `manager` (an Update
   * operation) that turns `live` (null on create) into `next`. A request may set
   * managedFields itself (`[]` clears them); an object that exists without any stays
   * untracked. This never fails a write: on a problem the live managedFields stay.
   */
  update(live: PlainObject | null, next: PlainObject, manager: string): ManagedFieldsEntry[] | undefined {
    try {
      const managed = this.managersBefore(live, next);
      // A Scale lists only the owners of the replicas: whether the object is tracked is for the object to say.
      if (managed.fields.size === 0 && live !== null && this.options.subresource !== 'scale') return undefined;
      const id = this.managerId(manager || 'unknown', 'Update');
      const after = this.recordUpdate(live ?? this.emptyObject(), next, managed, id);
      capUpdateManagers(after);
      return encodeManagedFields(after);
    } catch {
      return managedFieldsOf(live);
    }
  }

  /**
   * Server-side apply of `config` by `manager` to `live` (null: the object does not
   * exist yet). Returns the object to write, managedFields included. Throws StatusError:
   * 400 for a configuration of another kind or one that sets managedFields, 409 for
   * conflicts (unless `force`), 500 for a configuration that does not fit the schema.
   */
  apply(live: PlainObject | null, config: PlainObject, manager: string, force: boolean): PlainObject {
    this.checkKind(config);
    if (metadataOf(config).managedFields !== undefined) throw newBadRequest('metadata.managedFields must be nil');
    this.checkTyped(config);
    const liveObject = live ?? this.emptyObject();
    let managed: Managed;
    try {
      managed = decodeManagedFields(managedFieldsOf(liveObject));
    } catch (err) {
      throw new StatusError({ code: 500, reason: '', message: `failed to decode managed fields: ${(err as Error).message}` });
    }
    const id = this.managerId(manager, 'Apply');
    let result: { object: PlainObject; managed: Managed };
    try {
      result = this.applyOnce(liveObject, config, managed, id, force);
    } catch (err) {
      if (!(err instanceof ApplyConflicts)) throw err;
      const takeover = manager === KUBECTL ? this.fieldsFromClientSideApply(liveObject) : undefined;
      const remaining = takeover ? err.conflicts.filter((c) => !takeover.has(c.path)) : err.conflicts;
      if (remaining.length > 0) throw new ApplyConflicts(remaining).toStatusError();
      result = this.applyOnce(liveObject, config, managed, id, true);
    }
    const object = structuredClone(result.object);
    const metadata = (object.metadata = { ...metadataOf(object) });
    if (manager === KUBECTL) this.keepLastAppliedInStep(metadata, config);
    const entries = encodeManagedFields(result.managed);
    if (entries) metadata.managedFields = entries;
    return object;
  }

  private managerId(manager: string, operation: 'Apply' | 'Update'): string {
    return managerId({ manager, operation, apiVersion: this.apiVersion, subresource: this.options.subresource });
  }

  private emptyObject(): PlainObject {
    return { apiVersion: this.apiVersion, kind: this.options.kind.kind };
  }

  /** Managers as the request sets them, else as stored (a subresource never sets them). */
  private managersBefore(live: PlainObject | null, next: PlainObject): Managed {
    const stored = () => {
      try {
        return decodeManagedFields(managedFieldsOf(live));
      } catch {
        return emptyManaged();
      }
    };
    if (this.options.subresource) return stored();
    const requested = managedFieldsOf(next);
    if (isResetManagedFields(requested)) return emptyManaged();
    try {
      const managed = decodeManagedFields(requested);
      if (managed.fields.size > 0) return managed;
    } catch {
      // Garbage from the client: keep what is stored.
    }
    return stored();
  }

  /** Ownership after an Update by `id`; its entry gets the current time when it took any field. */
  private recordUpdate(live: PlainObject, next: PlainObject, managed: Managed, id: string): Managed {
    const fields = this.updater.update(withoutManagedFields(live), withoutManagedFields(next), this.apiVersion, managed.fields, CURRENT_OPERATION);
    const after: Managed = { fields, times: new Map(managed.times) };
    stripServerOwned(after, CURRENT_OPERATION);
    const taken = fields.get(CURRENT_OPERATION);
    fields.delete(CURRENT_OPERATION);
    if (taken) {
      const previous = fields.get(id)?.set ?? new FieldSet();
      fields.set(id, { set: taken.set.union(previous), apiVersion: taken.apiVersion, applied: false });
      after.times.set(id, nowTimestamp());
    }
    return after;
  }

  private applyOnce(live: PlainObject, config: PlainObject, managed: Managed, id: string, force: boolean): { object: PlainObject; managed: Managed } {
    let before = copyManaged(managed);
    if (before.fields.size === 0) {
      // Nothing tracked this object: what it holds belongs to a stand-in, and apply conflicts with that like with anyone.
      before = this.recordUpdate(this.emptyObject(), live, before, this.managerId(BEFORE_FIRST_APPLY, 'Update'));
    }
    const current = withoutManagedFields(live);
    const { object, managers } = this.updater.apply(current, config, this.apiVersion, before.fields, id, force);
    const after: Managed = { fields: managers, times: before.times };
    stripServerOwned(after, id);
    if (object) after.times.set(id, nowTimestamp());
    return { object: object ?? current, managed: after };
  }

  private checkKind(config: PlainObject): void {
    const { apiVersion, kind } = config;
    if (apiVersion === this.apiVersion && kind === this.options.kind.kind) return;
    const { group, version } = typeof apiVersion === 'string' ? parseApiVersion(apiVersion) : { group: '', version: '' };
    throw newBadRequest(`invalid object type: ${group}/${version}, Kind=${typeof kind === 'string' ? kind : ''}`);
  }

  /**
   * The configuration must fit the schema exactly: no undeclared fields, no values
   * of the wrong type. A misfit is the client's: 400 with kube-apiserver's message
   * (kube answers 500 there, a bug it has open as kubernetes#139253).
   */
  private checkTyped(config: PlainObject): void {
    try {
      validatedFieldSetOf(config, this.options.versions.schema(this.apiVersion) ?? {});
    } catch (err) {
      if (!(err instanceof TypedValueError)) throw err;
      const meta = metadataOf(config);
      const { group, version, kind } = this.options.kind;
      const object = `${meta.namespace ?? ''}/${meta.name ?? ''}; ${group}/${version}, Kind=${kind}`;
      throw newBadRequest(`failed to create typed patch object (${object}): ${err.message}`);
    }
  }

  /**
   * What client-side apply set and still holds: the fields of the last-applied
   * annotation whose live values are the ones it applied. kubectl's first server-side
   * apply takes these over without a conflict.
   */
  private fieldsFromClientSideApply(live: PlainObject): FieldSet | undefined {
    const annotations = metadataOf(live).annotations;
    const text = isRecord(annotations) ? annotations[LAST_APPLIED_ANNOTATION] : undefined;
    const schema = this.options.versions.schema(this.apiVersion);
    if (typeof text !== 'string' || !text || !schema) return undefined;
    try {
      const lastApplied: unknown = JSON.parse(text);
      if (!isRecord(lastApplied) || lastApplied.apiVersion !== this.apiVersion) return undefined;
      const changed = compareValues(lastApplied, withoutManagedFields(live), schema);
      return validatedFieldSetOf(lastApplied, schema).difference(changed.modified).difference(changed.added).difference(changed.removed);
    } catch {
      return undefined;
    }
  }

  /** After kubectl's server-side apply, an object that has the client-side apply annotation gets the applied configuration in it. */
  private keepLastAppliedInStep(metadata: Record<string, unknown>, config: PlainObject): void {
    const annotations = metadata.annotations;
    if (!isRecord(annotations) || typeof annotations[LAST_APPLIED_ANNOTATION] !== 'string' || !annotations[LAST_APPLIED_ANNOTATION]) return;
    const applied = structuredClone(config);
    const appliedAnnotations = metadataOf(applied).annotations;
    if (isRecord(appliedAnnotations)) delete appliedAnnotations[LAST_APPLIED_ANNOTATION];
    const next: Record<string, unknown> = { ...annotations, [LAST_APPLIED_ANNOTATION]: goJSON(applied) };
    const size = Object.entries(next).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
    // Too large for the annotation limit: drop it rather than fail the apply.
    if (size > MAX_ANNOTATIONS_BYTES) delete next[LAST_APPLIED_ANNOTATION];
    metadata.annotations = next;
  }
}
