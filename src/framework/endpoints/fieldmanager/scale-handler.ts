/**
 * managedFields across the scale subresource (k8s.io/apiserver's ScaleHandler). A
 * write through /scale is tracked on the autoscaling/v1 Scale, where whoever owns the
 * object's replicas path owns `.spec.replicas`; afterwards the Scale's owners of
 * `.spec.replicas` are carried back onto the object's replicas path.
 */
import type { ManagedFieldsEntry } from '../../api/meta';
import { fieldElement, type FieldPath } from './field-path';
import { FieldSet } from './field-set';
import { decodeManagedFields, encodeManagedFields, identityOf, managerId, type Managed, type VersionedSet } from './managed-fields';

export const SCALE_API_VERSION = 'autoscaling/v1';
const SPEC_REPLICAS: FieldPath = [fieldElement('spec'), fieldElement('replicas')];

/** The replicas path of the resource in an apiVersion; undefined where that version has none. */
export type ReplicasPathOf = (apiVersion: string) => FieldPath | undefined;

/** A dot path of the scale subresource (`.spec.replicas`) as a field path. */
export function replicasFieldPath(dotPath: string): FieldPath {
  return dotPath
    .split('.')
    .filter((s) => s !== '')
    .map(fieldElement);
}

/** The identifier the manager `id` of the object has on the Scale (an Update records the version it wrote). */
function scaleManagerId(id: string): string {
  return managerId({ ...identityOf(id), apiVersion: SCALE_API_VERSION });
}

export class ScaleHandler {
  /**
   * @param parentVersion the apiVersion of the object a request writes through /scale in
   * @param replicasPathOf where each version of the object keeps its desired replicas
   */
  constructor(
    private readonly parentVersion: string,
    private readonly replicasPathOf: ReplicasPathOf,
  ) {}

  /**
   * The managers of the object (its managedFields) that own its replicas path, as
   * managers of the Scale owning `.spec.replicas`; each keeps its operation,
   * subresource and time. Throws on managedFields that do not decode.
   */
  toSubresource(parentEntries: readonly ManagedFieldsEntry[] | undefined): ManagedFieldsEntry[] | undefined {
    const parent = decodeManagedFields(parentEntries);
    const scale: Managed = { fields: new Map(), times: new Map() };
    for (const [id, versioned] of parent.fields) {
      const path = this.replicasPathOf(versioned.apiVersion);
      if (!path || !versioned.set.has(path)) continue;
      const scaleId = scaleManagerId(id);
      scale.fields.set(scaleId, { set: FieldSet.of([SPEC_REPLICAS]), apiVersion: SCALE_API_VERSION, applied: versioned.applied });
      const time = parent.times.get(id);
      if (time) scale.times.set(scaleId, time);
    }
    return encodeManagedFields(scale);
  }

  /**
   * The object's managedFields after a write through /scale: a manager of the object
   * whose Scale counterpart no longer owns `.spec.replicas` loses the replicas path
   * (and goes when nothing else is left); every other owner of `.spec.replicas` on the
   * Scale owns the replicas path of `parentVersion`. As kube-apiserver records them,
   * entries that come from the Scale carry no time. Throws on managedFields that do not decode.
   */
  toParent(parentEntries: readonly ManagedFieldsEntry[] | undefined, scaleEntries: readonly ManagedFieldsEntry[] | undefined): ManagedFieldsEntry[] | undefined {
    const parent = decodeManagedFields(parentEntries);
    const scale = decodeManagedFields(scaleEntries);
    const scaleOwners = new Set([...scale.fields].filter(([, versioned]) => versioned.set.has(SPEC_REPLICAS)).map(([id]) => id));
    const after: Managed = { fields: new Map(), times: new Map() };
    const keep = (id: string, versioned: VersionedSet) => {
      after.fields.set(id, versioned);
      const time = parent.times.get(id);
      if (time) after.times.set(id, time);
    };
    const kept = new Set<string>();
    for (const [id, versioned] of parent.fields) {
      const path = this.replicasPathOf(versioned.apiVersion);
      if (!path || !versioned.set.has(path)) {
        keep(id, versioned);
      } else if (scaleOwners.has(scaleManagerId(id))) {
        keep(id, versioned);
        kept.add(scaleManagerId(id));
      } else {
        const set = versioned.set.difference(FieldSet.of([path]));
        if (!set.isEmpty()) keep(id, { ...versioned, set });
      }
    }
    const path = this.replicasPathOf(this.parentVersion);
    if (path) {
      for (const scaleId of scaleOwners) {
        if (kept.has(scaleId)) continue;
        const id = managerId({ ...identityOf(scaleId), apiVersion: this.parentVersion });
        const previous = after.fields.get(id)?.set ?? new FieldSet();
        const applied = (scale.fields.get(scaleId) as VersionedSet).applied;
        after.fields.set(id, { set: previous.union(FieldSet.of([path])), apiVersion: this.parentVersion, applied });
      }
    }
    return encodeManagedFields(after);
  }
}
