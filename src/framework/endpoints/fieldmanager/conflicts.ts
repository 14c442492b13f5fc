/**
 * Apply conflicts: fields another manager owns that an apply would change. They
 * answer 409 Conflict with one FieldManagerConflict cause per field, worded as
 * kube-apiserver words them.
 */
import { StatusError, type StatusCause } from '../../api/status';
import { formatPath, type FieldPath } from './field-path';
import type { FieldSet } from './field-set';
import { identityOf } from './managed-fields';

export interface Conflict {
  /** The identifier of the owning manager (see managerId). */
  manager: string;
  path: FieldPath;
}

/** Thrown by apply without force when other managers own what it changes. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(conflictMessage(conflicts));
    this.name = 'ApplyConflicts';
  }

  /** The 409 a client gets. */
  toStatusError(): StatusError {
    const causes: StatusCause[] = this.conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with ${printManager(c.manager)}`,
      field: formatPath(c.path),
    }));
    return new StatusError({ code: 409, reason: 'Conflict', message: this.message, details: { causes } });
  }
}

/** The conflicts of each manager's set, managers in the order of their identifiers, paths in set order. */
export function conflictsOf(sets: Map<string, FieldSet>): ApplyConflicts {
  const conflicts: Conflict[] = [];
  for (const manager of [...sets.keys()].sort()) {
    for (const path of (sets.get(manager) as FieldSet).paths()) conflicts.push({ manager, path });
  }
  return new ApplyConflicts(conflicts);
}

/** `"name"`, `"name" with subresource "status"`, and for updaters `"name" using <apiVersion>`. */
function printManager(id: string): string {
  const identity = identityOf(id);
  let printed = JSON.stringify(identity.manager ?? '');
  if (identity.subresource) printed += ` with subresource ${JSON.stringify(identity.subresource)}`;
  if (identity.operation === 'Update') printed += ` using ${identity.apiVersion ?? ''}`;
  return printed;
}

function conflictMessage(conflicts: Conflict[]): string {
  if (conflicts.length === 1) {
    return `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0].manager)}: ${formatPath(conflicts[0].path)}`;
  }
  const byManager = new Map<string, FieldPath[]>();
  for (const { manager, path } of conflicts) byManager.set(manager, [...(byManager.get(manager) ?? []), path]);
  const lines: string[] = [];
  for (const manager of [...byManager.keys()].sort()) {
    lines.push(`conflicts with ${printManager(manager)}:`);
    for (const path of byManager.get(manager) as FieldPath[]) lines.push(`- ${formatPath(path)}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
