/**
 * The Table columns kube-apiserver prints for RBAC objects: roles show when they
 * were created, bindings their role and (with -o wide) their subjects by kind.
 */
import { AGE_COLUMN, CREATED_AT_COLUMN, type ComputedPrinterColumn, type PrinterColumn } from '../../runtime';
import type { RoleRef, Subject } from './types';

interface Binding {
  roleRef?: RoleRef;
  subjects?: Subject[];
}

/** Roles and ClusterRoles: `NAME  CREATED AT`. */
export const ROLE_COLUMNS: PrinterColumn[] = [CREATED_AT_COLUMN];

/** The subjects of one kind, as kube's SubjectsStrings names them (a ServiceAccount as `<namespace>/<name>`). */
function subjectsOfKind(kind: Subject['kind']): (binding: Binding) => string {
  return (binding) =>
    (binding.subjects ?? [])
      .filter((s) => s.kind === kind)
      .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
      .join(', ');
}

/** RoleBindings and ClusterRoleBindings: `NAME  ROLE  AGE`, and `USERS  GROUPS  SERVICEACCOUNTS` with -o wide. */
function bindingColumns(what: 'roleBinding' | 'clusterRoleBinding', roleRefDescription: string): PrinterColumn[] {
  const role: ComputedPrinterColumn<Binding> = {
    name: 'Role',
    type: 'string',
    description: roleRefDescription,
    cell: (binding) => `${binding.roleRef?.kind ?? ''}/${binding.roleRef?.name ?? ''}`,
  };
  const subjects = (name: string, kind: string): ComputedPrinterColumn<Binding> => ({
    name,
    type: 'string',
    priority: 1,
    description: `${name} in the ${what}`,
    cell: subjectsOfKind(kind),
  });
  return [role, AGE_COLUMN, subjects('Users', 'User'), subjects('Groups', 'Group'), subjects('ServiceAccounts', 'ServiceAccount')];
}

export const ROLE_BINDING_COLUMNS = bindingColumns('roleBinding', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.');

export const CLUSTER_ROLE_BINDING_COLUMNS = bindingColumns('clusterRoleBinding', 'RoleRef can only reference a ClusterRole in the global namespace.');
