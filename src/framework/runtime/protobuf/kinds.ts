import { MessageName, MessageNames } from './schema';

/** The built-in kinds this codec reads and writes, by apiVersion and kind. */
const KIND_MESSAGES: ReadonlyArray<{ apiVersion: string; kind: string; message: MessageName }> = [
  { apiVersion: 'v1', kind: 'Namespace', message: MessageNames.Namespace },
  { apiVersion: 'v1', kind: 'ConfigMap', message: MessageNames.ConfigMap },
  { apiVersion: 'v1', kind: 'Secret', message: MessageNames.Secret },
  { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', message: MessageNames.TokenReview },
  { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview', message: MessageNames.SelfSubjectReview },
  { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', message: MessageNames.SubjectAccessReview },
  { apiVersion: 'authorization.k8s.io/v1', kind: 'LocalSubjectAccessReview', message: MessageNames.LocalSubjectAccessReview },
  { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', message: MessageNames.SelfSubjectAccessReview },
  { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', message: MessageNames.SelfSubjectRulesReview },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', message: MessageNames.Role },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', message: MessageNames.ClusterRole },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', message: MessageNames.RoleBinding },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', message: MessageNames.ClusterRoleBinding },
];

/**
 * The message of a kind, or undefined when the codec does not know it.
 * DeleteOptions is meta/v1's, whatever group version it is sent as: every group
 * version registers the same type.
 */
export function messageForKind(apiVersion: string, kind: string): MessageName | undefined {
  if (kind === 'DeleteOptions') return MessageNames.DeleteOptions;
  return KIND_MESSAGES.find((k) => k.apiVersion === apiVersion && k.kind === kind)?.message;
}
