/**
 * metadata.managedFields to and from the managers it records: one entry per
 * (manager, operation, subresource, and for Update also apiVersion), each with the
 * set of fields it owns, the version that set is spelled in, and when it last changed.
 */
import type { ManagedFieldsEntry } from '../../api/meta';
import { isRecord } from '../../runtime/json-value';
import { FieldSet } from './field-set';

export type Operation = 'Apply' | 'Update';

/** The fields one manager owns, in the version it wrote them in. */
export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  /** Owned through apply (operation Apply), as opposed to any other write (Update). */
  applied: boolean;
}

/** Managers by identifier (see managerId), with the time each last changed something. */
export interface Managed {
  fields: Map<string, VersionedSet>;
  times: Map<string, string>;
}

export interface ManagerIdentity {
  manager: string;
  operation: Operation;
  apiVersion?: string;
  subresource?: string;
}

/**
 * What tells two entries apart, as a JSON object in the order of ManagedFieldsEntry's
 * fields. An applier keeps one entry whatever version it applies in; an updater gets
 * one per version.
 */
export function managerId(identity: ManagerIdentity): string {
  const { manager, operation, apiVersion, subresource } = identity;
  return JSON.stringify({
    manager: manager || undefined,
    operation,
    apiVersion: operation === 'Apply' ? undefined : apiVersion || undefined,
    subresource: subresource || undefined,
  });
}

export function identityOf(id: string): ManagerIdentity {
  return JSON.parse(id) as ManagerIdentity;
}

export function emptyManaged(): Managed {
  return { fields: new Map(), times: new Map() };
}

/** A copy whose maps can change without touching the original (field sets never change). */
export function copyManaged(managed: Managed): Managed {
  return { fields: new Map(managed.fields), times: new Map(managed.times) };
}

/** The managers an object's managedFields record; throws on an entry kube-apiserver would not decode. */
export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): Managed {
  const managed = emptyManaged();
  (entries ?? []).forEach((entry, i) => {
    if (entry.operation !== 'Apply' && entry.operation !== 'Update') throw new Error('operation must be `Apply` or `Update`');
    if (!entry.apiVersion) throw new Error('apiVersion must not be empty');
    if (!entry.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (entry.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(entry.fieldsType)} in managed fields entry ${i}`);
    const id = managerId({ manager: entry.manager ?? '', operation: entry.operation, apiVersion: entry.apiVersion, subresource: entry.subresource });
    managed.fields.set(id, { set: FieldSet.fromFieldsV1(entry.fieldsV1 ?? {}), apiVersion: entry.apiVersion, applied: entry.operation === 'Apply' });
    if (entry.time) managed.times.set(id, entry.time);
  });
  return managed;
}

/** Whether a request asks to clear managedFields: an empty list, or one empty entry. */
export function isResetManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): boolean {
  if (!entries) return false;
  if (entries.length === 0) return true;
  return entries.length === 1 && isRecord(entries[0]) && Object.values(entries[0]).every((v) => v === undefined);
}

function seconds(time: string | undefined): number {
  return time ? Math.floor(Date.parse(time) / 1000) : 0;
}

function compareStrings(a = '', b = ''): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Apply entries first, then each group oldest first, then by manager, apiVersion and subresource. */
function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  return (
    compareStrings(p.operation, q.operation) ||
    seconds(p.time) - seconds(q.time) ||
    compareStrings(p.manager, q.manager) ||
    compareStrings(p.apiVersion, q.apiVersion) ||
    compareStrings(p.subresource, q.subresource)
  );
}

/** metadata.managedFields for the managers; undefined when there are none. */
export function encodeManagedFields(managed: Managed): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const entries: ManagedFieldsEntry[] = [];
  for (const [id, versioned] of managed.fields) {
    const { manager, subresource } = identityOf(id);
    const entry: ManagedFieldsEntry = {
      manager,
      operation: versioned.applied ? 'Apply' : 'Update',
      apiVersion: versioned.apiVersion,
      time: managed.times.get(id),
      fieldsType: 'FieldsV1',
      fieldsV1: versioned.set.toFieldsV1(),
      subresource,
    };
    for (const key of Object.keys(entry) as (keyof ManagedFieldsEntry)[]) if (entry[key] === undefined) delete entry[key];
    entries.push(entry);
  }
  return entries.sort(compareEntries);
}

/** kube-apiserver keeps at most this many Update entries; older ones merge into "ancient-changes". */
const MAX_UPDATE_MANAGERS = 10;
const ANCIENT_CHANGES = 'ancient-changes';

/**
 * Merges the oldest Update entries, per version, into an `ancient-changes` entry until
 * at most MAX_UPDATE_MANAGERS Update entries remain.
 */
export function capUpdateManagers(managed: Managed): void {
  const updaters = [...managed.fields].filter(([, versioned]) => !versioned.applied).map(([id]) => id);
  if (updaters.length <= MAX_UPDATE_MANAGERS) return;
  updaters.sort((a, b) => seconds(managed.times.get(a)) - seconds(managed.times.get(b)) || compareStrings(a, b));
  const firstOfVersion = new Map<string, string>();
  let remaining = updaters.length;
  for (const id of updaters) {
    if (remaining <= MAX_UPDATE_MANAGERS) break;
    const versioned = managed.fields.get(id) as VersionedSet;
    const first = firstOfVersion.get(versioned.apiVersion);
    if (first === undefined) {
      firstOfVersion.set(versioned.apiVersion, id);
      continue;
    }
    const bucket = managerId({ manager: ANCIENT_CHANGES, operation: 'Update', apiVersion: versioned.apiVersion });
    if (!managed.fields.has(bucket)) {
      managed.fields.set(bucket, managed.fields.get(first) as VersionedSet);
      managed.fields.delete(first);
    }
    const merged = (managed.fields.get(bucket) as VersionedSet).set.union(versioned.set);
    managed.fields.set(bucket, { set: merged, apiVersion: versioned.apiVersion, applied: false });
    managed.fields.delete(id);
    const time = managed.times.get(id);
    if (time) managed.times.set(bucket, time);
    else managed.times.delete(bucket);
    remaining--;
  }
}
