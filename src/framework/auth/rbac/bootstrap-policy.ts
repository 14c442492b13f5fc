/**
 * The roles and bindings every RBAC server starts with, named as kube-apiserver
 * names them: cluster-admin for system:masters, discovery, the self-reviews
 * (`kubectl auth can-i`, `kubectl auth whoami`) and public health and version
 * information. Created when missing; existing ones are left as they are.
 */
import type { PolicyRule, Subject } from './types';
import { RBAC_GROUP } from './types';

export interface BootstrapClusterRole {
  name: string;
  rules: PolicyRule[];
}

export interface BootstrapClusterRoleBinding {
  name: string;
  roleName: string;
  subjects: Subject[];
}

export const BOOTSTRAP_LABELS = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const BOOTSTRAP_ANNOTATIONS = { 'rbac.authorization.kubernetes.io/autoupdate': 'true' };

const group = (name: string): Subject => ({ kind: 'Group', apiGroup: RBAC_GROUP, name });

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
];

export const BOOTSTRAP_CLUSTER_ROLE_BINDINGS: readonly BootstrapClusterRoleBinding[] = [
  { name: 'cluster-admin', roleName: 'cluster-admin', subjects: [group('system:masters')] },
  { name: 'system:discovery', roleName: 'system:discovery', subjects: [group('system:authenticated')] },
  { name: 'system:basic-user', roleName: 'system:basic-user', subjects: [group('system:authenticated')] },
  { name: 'system:public-info-viewer', roleName: 'system:public-info-viewer', subjects: [group('system:authenticated'), group('system:unauthenticated')] },
];
