/**
 * The RBAC roles kube-apiserver keeps for the servers behind it, so their
 * deployments only need bindings: `system:auth-delegator` (create TokenReviews
 * and SubjectAccessReviews, to delegate authentication and authorization) and
 * `kube-system/extension-apiserver-authentication-reader` (read the
 * authentication ConfigMap). Created when missing; existing ones are left as they are.
 */
import type { Logger } from 'pino';
import { INTERNAL_VERSION } from '../api';
import { AUTHENTICATION_CONFIGMAP, AUTHENTICATION_READER_ROLE } from '../auth/authentication-configmap';
import { BOOTSTRAP_ANNOTATIONS, BOOTSTRAP_LABELS } from '../auth/rbac/bootstrap-policy';
import { RBAC_GROUP, type PolicyRule } from '../auth/rbac/types';
import { newRequestContext } from '../registry/context';
import type { Store } from '../registry/store';
import type { KubeObject, Scheme } from '../runtime';
import type { GenericAPIServer } from '../server/generic-apiserver';
import { installedStore } from './installed-store';

export const AUTH_DELEGATOR_CLUSTER_ROLE = 'system:auth-delegator';

const AUTH_DELEGATOR_RULES: PolicyRule[] = [
  { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
  { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
];

const AUTHENTICATION_READER_RULES: PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], resourceNames: [AUTHENTICATION_CONFIGMAP.name], verbs: ['get', 'list', 'watch'] },
];

/** Creates both roles when the server serves RBAC; says so and does nothing when it does not. */
export async function ensureExtensionServerRoles(server: GenericAPIServer, scheme: Scheme, logger: Logger): Promise<void> {
  const roles = installedStore(server, RBAC_GROUP, 'roles');
  const clusterRoles = installedStore(server, RBAC_GROUP, 'clusterroles');
  if (!roles || !clusterRoles) {
    logger.info(`RBAC is not served (see --authorization-mode): no ${AUTH_DELEGATOR_CLUSTER_ROLE} or ${AUTHENTICATION_READER_ROLE} roles`);
    return;
  }
  const createMissing = async (store: Store, kind: string, namespace: string, name: string, rules: PolicyRule[]) => {
    const obj = scheme.newObject({ group: RBAC_GROUP, version: INTERNAL_VERSION, kind }) as KubeObject & { rules?: PolicyRule[] };
    obj.metadata = { name, namespace: namespace || undefined, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...BOOTSTRAP_ANNOTATIONS } } as KubeObject['metadata'];
    obj.rules = rules;
    await store.create(newRequestContext({ namespace }), obj).catch((err: { reason?: string }) => {
      if (err.reason !== 'AlreadyExists') throw err;
    });
  };
  await createMissing(clusterRoles, 'ClusterRole', '', AUTH_DELEGATOR_CLUSTER_ROLE, AUTH_DELEGATOR_RULES);
  await createMissing(roles, 'Role', AUTHENTICATION_CONFIGMAP.namespace, AUTHENTICATION_READER_ROLE, AUTHENTICATION_READER_RULES);
}
