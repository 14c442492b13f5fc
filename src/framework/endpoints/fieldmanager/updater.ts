/**
 * Ownership of fields across writes, over plain objects of one resource in any of its
 * versions: who owns what after an update, and what an apply merges, prunes and
 * takes over. Each manager's set is compared in the version it was written in.
 */
import type { JSONSchemaProps } from '../../runtime';
import { deepEqualJSON } from '../../registry/deep-equal';
import { compareValues, type Comparison } from './compare';
import { conflictsOf } from './conflicts';
import { FieldSet } from './field-set';
import type { VersionedSet } from './managed-fields';
import { mergeValues } from './merge';
import { removeItems } from './remove-items';
import { fieldSetOf, withNamedFieldsAsMembers } from './to-field-set';

export type PlainObject = Record<string, unknown>;

/** The versions of one resource, as apply needs them. */
export interface ResourceVersions {
  /** The schema of an apiVersion of the resource; undefined when it is not served. */
  schema(apiVersion: string): JSONSchemaProps | undefined;
  /** The object in another apiVersion (it names its own in `apiVersion`); undefined when that version is not served. */
  convert(obj: PlainObject, apiVersion: string): PlainObject | undefined;
}

/** Drops the paths a write through this endpoint never owns (a strategy resets them). */
export type FieldFilter = (set: FieldSet) => FieldSet;

type ManagerSets = Map<string, VersionedSet>;

export interface ApplyResult {
  /** The object to write; undefined when the apply changes nothing in it. */
  object?: PlainObject;
  managers: ManagerSets;
}

export class Updater {
  constructor(
    private readonly versions: ResourceVersions,
    private readonly ignore: FieldFilter,
  ) {}

  /**
   * Ownership after a write (create, update or non-apply patch) by `manager` that turned
   * `live` into `next` (both in `version`): it takes every field it added or changed,
   * from whoever owned it, and nobody keeps fields it removed.
   */
  update(live: PlainObject, next: PlainObject, version: string, managers: ManagerSets, manager: string): ManagerSets {
    const { managers: after, comparison } = this.takeOwnership(live, next, version, managers, manager, true);
    const previous = after.get(manager)?.set ?? new FieldSet();
    const set = this.ignore(previous.difference(comparison.removed).union(comparison.modified).union(comparison.added));
    if (set.isEmpty()) after.delete(manager);
    else after.set(manager, { set, apiVersion: version, applied: false });
    return after;
  }

  /**
   * Merges `config` (in `version`) into `live`: the applier owns exactly what it
   * configured, fields it applied last time and no longer does go unless someone else
   * owns them, and changing what another manager owns is a conflict unless `force`,
   * which takes it over. Throws ApplyConflicts.
   */
  apply(live: PlainObject, config: PlainObject, version: string, managers: ManagerSets, manager: string, force: boolean): ApplyResult {
    const schema = this.schemaAt(version);
    const merged = mergeValues(live, config, schema) as PlainObject;
    const last = managers.get(manager);
    const withConfig = new Map(managers).set(manager, { set: this.ignore(fieldSetOf(config, schema)), apiVersion: version, applied: true });
    const pruned = this.prune(merged, withConfig, manager, last);
    const { managers: after } = this.takeOwnership(live, pruned, version, withConfig, manager, force);
    return { object: deepEqualJSON(live, pruned) ? undefined : pruned, managers: after };
  }

  /** Every other manager loses what the write changes or removes; without force, changing what they own is a conflict. */
  private takeOwnership(
    live: PlainObject,
    next: PlainObject,
    version: string,
    managers: ManagerSets,
    writer: string,
    force: boolean,
  ): { managers: ManagerSets; comparison: Comparison } {
    const comparison = this.compareAt(live, next, version);
    if (!comparison) throw new Error(`${version} is not served`);
    const byVersion = new Map<string, Comparison | undefined>([[version, comparison]]);
    const after = new Map(managers);
    const conflicts = new Map<string, FieldSet>();
    const removed = new Map<string, FieldSet>();
    for (const [id, owned] of managers) {
      if (id === writer) continue;
      if (!byVersion.has(owned.apiVersion)) byVersion.set(owned.apiVersion, this.compareAt(live, next, owned.apiVersion));
      const changes = byVersion.get(owned.apiVersion);
      if (!changes) {
        // Its version is no longer served: nothing it owns can be told apart any more.
        after.delete(id);
        continue;
      }
      const conflicting = owned.set.intersection(changes.modified.union(changes.added));
      if (!conflicting.isEmpty()) conflicts.set(id, conflicting);
      const gone = owned.set.intersection(changes.removed);
      if (!gone.isEmpty()) removed.set(id, gone);
    }
    if (!force && conflicts.size > 0) throw conflictsOf(conflicts);
    for (const lost of [conflicts, removed]) {
      for (const [id, set] of lost) {
        const owned = after.get(id) as VersionedSet;
        after.set(id, { ...owned, set: owned.set.difference(set) });
      }
    }
    for (const [id, owned] of after) if (owned.set.isEmpty()) after.delete(id);
    return { managers: after, comparison };
  }

  /** How `next` differs from `live`, seen in `version`; undefined when that version is not served. */
  private compareAt(live: PlainObject, next: PlainObject, version: string): Comparison | undefined {
    const schema = this.versions.schema(version);
    const [before, after] = [this.versions.convert(live, version), this.versions.convert(next, version)];
    if (!schema || !before || !after) return undefined;
    const { added, removed, modified } = compareValues(before, after, schema);
    return { added: this.ignore(added), removed: this.ignore(removed), modified: this.ignore(modified) };
  }

  /**
   * Removes what the applier applied last time and no longer applies, unless some
   * manager (the applier's new configuration included) owns it.
   */
  private prune(merged: PlainObject, managers: ManagerSets, applier: string, last: VersionedSet | undefined): PlainObject {
    if (!last || last.set.isEmpty()) return merged;
    const atLast = this.versions.convert(merged, last.apiVersion);
    const schema = this.versions.schema(last.apiVersion);
    if (!atLast || !schema) return merged;
    const withoutLast = (removeItems(atLast, withNamedFieldsAsMembers(last.set, schema), schema) ?? {}) as PlainObject;
    const ownedKept = this.addBackOwned(atLast, withoutLast, last.apiVersion, managers);
    const pruned = this.keepOnlyFromLast(atLast, ownedKept, last, schema);
    return this.versions.convert(pruned, (managers.get(applier) as VersionedSet).apiVersion) ?? pruned;
  }

  /** `pruned` with everything some manager owns put back, version by version (the pruned version first). */
  private addBackOwned(merged: PlainObject, pruned: PlainObject, prunedVersion: string, managers: ManagerSets): PlainObject {
    const ownedByVersion = new Map<string, FieldSet>();
    for (const owned of managers.values()) {
      ownedByVersion.set(owned.apiVersion, (ownedByVersion.get(owned.apiVersion) ?? new FieldSet()).union(owned.set));
    }
    // The pruned version first: what conversion to other versions needs may have been pruned.
    const versions = [...ownedByVersion.keys()].sort((a, b) => Number(b === prunedVersion) - Number(a === prunedVersion));
    let [mergedNow, prunedNow] = [merged, pruned];
    for (const version of versions) {
      const owned = ownedByVersion.get(version) as FieldSet;
      const schema = this.versions.schema(version);
      const [m, p] = [this.versions.convert(mergedNow, version), this.versions.convert(prunedNow, version)];
      if (!schema || !m || !p) continue;
      const named = (set: FieldSet) => withNamedFieldsAsMembers(set, schema);
      const unowned = named(fieldSetOf(m, schema)).difference(named(fieldSetOf(p, schema)).union(named(owned)));
      [mergedNow, prunedNow] = [m, (removeItems(m, unowned, schema) ?? {}) as PlainObject];
    }
    return prunedNow;
  }

  /** Of what pruning removed from `merged`, only what the applier owned last time really goes. */
  private keepOnlyFromLast(merged: PlainObject, pruned: PlainObject, last: VersionedSet, schema: JSONSchemaProps): PlainObject {
    const prunedAtLast = this.versions.convert(pruned, last.apiVersion);
    if (!prunedAtLast) return merged;
    const named = (set: FieldSet) => withNamedFieldsAsMembers(set, schema);
    const dropped = named(fieldSetOf(merged, schema)).difference(named(fieldSetOf(prunedAtLast, schema))).intersection(named(last.set));
    return (removeItems(merged, dropped, schema) ?? {}) as PlainObject;
  }

  private schemaAt(version: string): JSONSchemaProps {
    const schema = this.versions.schema(version);
    if (!schema) throw new Error(`${version} is not served`);
    return schema;
  }
}
