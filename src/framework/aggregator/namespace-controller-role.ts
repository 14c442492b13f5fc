/**
 * Who the namespace controller is to the servers behind the aggregator, and what
 * RBAC lets it do there: as kube-controller-manager's controller, the service
 * account `kube-system/namespace-controller`, bound to the ClusterRole
 * `system:controller:namespace-controller` (get, list, delete and
 * deletecollection of everything), which a server behind the aggregator checks
 * with its SubjectAccessReview before it deletes a namespace's content.
 */
import type { Logger } from 'pino';
import { RBAC_GROUP, type PolicyRule } from '../auth/rbac/types';
import type { UserInfo } from '../registry/context';
import type { Scheme } from '../runtime';
import type { GenericAPIServer } from '../server/generic-apiserver';
import { createMissingBootstrapObject } from './extension-server-roles';
import { installedStore } from './installed-store';

const SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'namespace-controller' };

export const NAMESPACE_CONTROLLER_USER: UserInfo = {
  username: `system:serviceaccount:${SERVICE_ACCOUNT.namespace}:${SERVICE_ACCOUNT.name}`,
  groups: ['system:serviceaccounts', `system:serviceaccounts:${SERVICE_ACCOUNT.namespace}`, 'system:authenticated'],
};

export const NAMESPACE_CONTROLLER_CLUSTER_ROLE = 'system:controller:namespace-controller';

const NAMESPACE_CONTROLLER_RULES: PolicyRule[] = [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'delete', 'deletecollection'] }];

/** Creates the role and its binding when the server serves RBAC; does nothing when it does not (every request is allowed). */
export async function ensureNamespaceControllerRole(server: GenericAPIServer, scheme: Scheme, logger: Logger): Promise<void> {
  const clusterRoles = installedStore(server, RBAC_GROUP, 'clusterroles');
  const clusterRoleBindings = installedStore(server, RBAC_GROUP, 'clusterrolebindings');
  if (!clusterRoles || !clusterRoleBindings) {
    logger.info(`RBAC is not served (see --authorization-mode): no ${NAMESPACE_CONTROLLER_CLUSTER_ROLE} role`);
    return;
  }
  await createMissingBootstrapObject(clusterRoles, scheme, 'ClusterRole', { name: NAMESPACE_CONTROLLER_CLUSTER_ROLE }, { rules: NAMESPACE_CONTROLLER_RULES });
  await createMissingBootstrapObject(clusterRoleBindings, scheme, 'ClusterRoleBinding', { name: NAMESPACE_CONTROLLER_CLUSTER_ROLE }, {
    roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: NAMESPACE_CONTROLLER_CLUSTER_ROLE },
    subjects: [{ kind: 'ServiceAccount', ...SERVICE_ACCOUNT }],
  });
}
