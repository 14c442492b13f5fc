/**
 * The roles and bindings every RBAC server starts with, named as kube-apiserver
 * names them: cluster-admin for system:masters, discovery, the self-reviews
 * (`kubectl auth can-i`, `kubectl auth whoami`), public health and version
 * information, and the user-facing roles admin, edit and view, which aggregate
 * every ClusterRole labelled `rbac.authorization.k8s.io/aggregate-to-<role>:
 * "true"` (edit is aggregated into admin, view into edit, as in kube). Created
 * when missing; existing ones are left as they are.
 */
import type { AggregationRule, PolicyRule, Subject } from './types';
import { RBAC_GROUP } from './types';

export interface BootstrapClusterRole {
  name: string;
  rules: PolicyRule[];
  /** Besides the bootstrapping label. */
  labels?: Record<string, string>;
  aggregationRule?: AggregationRule;
}

export interface BootstrapClusterRoleBinding {
  name: string;
  roleName: string;
  subjects: Subject[];
}

export const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const BOOTSTRAP_ANNOTATIONS = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });

/** The label that adds a ClusterRole's rules to admin, edit or view. */
export function aggregateToLabel(role: 'admin' | 'edit' | 'view'): string {
  return `rbac.authorization.k8s.io/aggregate-to-${role}`;
}

const aggregatesFrom = (role: 'admin' | 'edit' | 'view'): AggregationRule => ({ clusterRoleSelectors: [{ matchLabels: { [aggregateToLabel(role)]: 'true' } }] });
const aggregatedInto = (role: 'admin' | 'edit' | 'view') => ({ [aggregateToLabel(role)]: 'true' });

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

export const BOOTSTRAP_CLUSTER_ROLES: readonly BootstrapClusterRole[] = [
  {
    name: 'cluster-admin',
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ],
  },
  {
    name: 'system:discovery',
    rules: [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'], verbs: ['get'] }],
  },
  {
    name: 'system:basic-user',
    rules: [
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    ],
  },
  {
    name: 'system:public-info-viewer',
    rules: [{ nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] }],
  },
  { name: 'admin', rules: [], aggregationRule: aggregatesFrom('admin') },
  { name: 'edit', rules: [], labels: aggregatedInto('admin'), aggregationRule: aggregatesFrom('edit') },
  { name: 'view', rules: [], labels: aggregatedInto('edit'), aggregationRule: aggregatesFrom('view') },
  // kube's rules for the resources every server here has.
  {
    name: 'system:aggregate-to-admin',
    labels: aggregatedInto('admin'),
    rules: [
      { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
      { apiGroups: [RBAC_GROUP], resources: ['rolebindings', 'roles'], verbs: [...WRITE, ...READ] },
    ],
  },
  { name: 'system:aggregate-to-edit', labels: aggregatedInto('edit'), rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: WRITE }] },
  { name: 'system:aggregate-to-view', labels: aggregatedInto('view'), rules: [{ apiGroups: [''], resources: ['configmaps', 'namespaces'], verbs: READ }] },
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly BootstrapClusterRoleBinding[] = [
  { name: 'cluster-admin', roleName: 'cluster-admin', subjects: [group('system:masters')] },
  { name: 'system:discovery', roleName: 'system:discovery', subjects: [group('system:authenticated')] },
  { name: 'system:basic-user', roleName: 'system:basic-user', subjects: [group('system:authenticated')] },
  { name: 'system:public-info-viewer', roleName: 'system:public-info-viewer', subjects: [group('system:authenticated'), group('system:unauthenticated')] },
];
