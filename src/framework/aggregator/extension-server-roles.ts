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
  await createMissingBootstrapObject(clusterRoles, scheme, 'ClusterRole', { name: AUTH_DELEGATOR_CLUSTER_ROLE }, { rules: AUTH_DELEGATOR_RULES });
  await createMissingBootstrapObject(roles, scheme, 'Role', { namespace: AUTHENTICATION_CONFIGMAP.namespace, name: AUTHENTICATION_READER_ROLE }, { rules: AUTHENTICATION_READER_RULES });
}

/** Creates an RBAC object labelled as bootstrap policy unless one of that name exists (which is left as it is). */
export async function createMissingBootstrapObject(
  store: Store,
  scheme: Scheme,
  kind: string,
  at: { namespace?: string; name: string },
  fields: Record<string, unknown>,
): Promise<void> {
  const obj = Object.assign(scheme.newObject({ group: RBAC_GROUP, version: INTERNAL_VERSION, kind }) as KubeObject, fields);
  obj.metadata = { name: at.name, namespace: at.namespace, labels: { ...BOOTSTRAP_LABELS }, annotations: { ...BOOTSTRAP_ANNOTATIONS } } as KubeObject['metadata'];
  await store.create(newRequestContext({ namespace: at.namespace ?? '' }), obj).catch((err: { reason?: string }) => {
    if (err.reason !== 'AlreadyExists') throw err;
  });
}
