/**
 * rbac.authorization.k8s.io/v1 served by the server itself (standalone RBAC
 * mode): the four Stores, the escalation check, the watches that feed the RBAC
 * authorizer, ClusterRole aggregation, and the bootstrap policy.
 */
import type { Logger } from 'pino';
import { INTERNAL_VERSION } from '../../api';
import type { AdmissionChain } from '../../admission/interfaces';
import type { GroupResource } from '../../api/status';
import type { KubeObject, Scheme } from '../../runtime';
import { newRequestContext } from '../../registry/context';
import { Store } from '../../registry/store';
import type { RESTStrategy } from '../../registry/strategy';
import type { APIGroupInfo } from '../../server/api-group-info';
import type { StorageInterface } from '../../storage/interface';
import type { Authorizer } from '../authorizer';
import type { RBACAuthorizer } from './authorizer';
import { BOOTSTRAP_ANNOTATIONS, BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES, BOOTSTRAP_LABELS } from './bootstrap-policy';
import { ClusterRoleAggregator } from './cluster-role-aggregation';
import { RBACEscalationCheck } from './escalation-check';
import { clusterRoleBindingRESTStrategy, clusterRoleRESTStrategy, roleBindingRESTStrategy, roleRESTStrategy } from './strategy';
import { StoreInformer } from './store-informer';
import {
  ClusterRole,
  ClusterRoleBinding,
  ClusterRoleBindingV1,
  ClusterRoleV1,
  RBAC_GROUP,
  Role,
  RoleBinding,
  RoleBindingV1,
  RoleV1,
} from './types';

export interface RBACInstallOptions {
  scheme: Scheme;
  storageFor(gr: GroupResource): StorageInterface;
  admission: AdmissionChain;
  /** Fed by the Stores installed here. */
  rbac: RBACAuthorizer;
  /** The server's whole authorizer, for the escalate and bind verbs. */
  authorizer: Authorizer;
  logger: Logger;
}

export interface InstalledRBAC {
  group: APIGroupInfo;
  /** Loads every RBAC object, follows changes, and creates the bootstrap policy; resolves when the authorizer can decide. */
  start(): Promise<void>;
  stop(): void;
}

export function installRBAC(options: RBACInstallOptions): InstalledRBAC {
  const { scheme } = options;
  scheme.addKnownTypes(Role, RoleV1, ClusterRole, ClusterRoleV1, RoleBinding, RoleBindingV1, ClusterRoleBinding, ClusterRoleBindingV1);
  // The strategies work on the RBAC hub types; the Stores are handed around as plain Stores.
  const store = <T extends KubeObject>(plural: string, strategy: RESTStrategy<T>): Store => {
    const resource = scheme.resourceInfo({ group: RBAC_GROUP, version: 'v1', resource: plural });
    if (!resource) throw new Error(`${plural}.${RBAC_GROUP} did not register`);
    const storage = options.storageFor({ group: RBAC_GROUP, resource: plural });
    return new Store<T>({ scheme, resource, storage, strategy, admission: options.admission }) as unknown as Store;
  };
  const roles = store('roles', roleRESTStrategy);
  const clusterRoles = store('clusterroles', clusterRoleRESTStrategy);
  const roleBindings = store('rolebindings', roleBindingRESTStrategy);
  const clusterRoleBindings = store('clusterrolebindings', clusterRoleBindingRESTStrategy);
  options.admission.addValidating(new RBACEscalationCheck(options.rbac, options.authorizer));

  const changed = () => options.rbac.invalidate();
  const logger = options.logger.child({ component: 'rbac' });
  const aggregator = new ClusterRoleAggregator(clusterRoles, () => informers.clusterRoles.list(), logger);
  const informers = {
    roles: new StoreInformer(roles, changed, logger),
    clusterRoles: new StoreInformer(
      clusterRoles,
      () => {
        changed();
        aggregator.changed();
      },
      logger,
    ),
    roleBindings: new StoreInformer(roleBindings, changed, logger),
    clusterRoleBindings: new StoreInformer(clusterRoleBindings, changed, logger),
  };
  options.rbac.attach({
    roles: () => informers.roles.list(),
    clusterRoles: () => informers.clusterRoles.list(),
    roleBindings: () => informers.roleBindings.list(),
    clusterRoleBindings: () => informers.clusterRoleBindings.list(),
  });

  const createMissing = async (target: Store, obj: KubeObject) => {
    await target.create(newRequestContext(), obj).catch((err: { reason?: string }) => {
      if (err.reason !== 'AlreadyExists') throw err;
    });
  };
  const hub = <T extends KubeObject>(kind: string, fields: object): T => {
    const obj = scheme.newObject({ group: RBAC_GROUP, version: INTERNAL_VERSION, kind }) as T;
    return Object.assign(obj, fields);
  };
  const metadata = (name: string, labels: Record<string, string> = {}) => ({ name, labels: { ...BOOTSTRAP_LABELS, ...labels }, annotations: { ...BOOTSTRAP_ANNOTATIONS } });

  return {
    group: {
      group: RBAC_GROUP,
      scheme,
      versionedResources: { v1: { roles, clusterroles: clusterRoles, rolebindings: roleBindings, clusterrolebindings: clusterRoleBindings } },
    },
    async start() {
      for (const role of BOOTSTRAP_CLUSTER_ROLES) {
        await createMissing(clusterRoles, hub('ClusterRole', { metadata: metadata(role.name, role.labels), rules: role.rules, aggregationRule: role.aggregationRule }));
      }
      for (const binding of BOOTSTRAP_CLUSTER_ROLE_BINDINGS) {
        await createMissing(
          clusterRoleBindings,
          hub('ClusterRoleBinding', { metadata: metadata(binding.name), roleRef: { apiGroup: RBAC_GROUP, kind: 'ClusterRole', name: binding.roleName }, subjects: binding.subjects }),
        );
      }
      await Promise.all(Object.values(informers).map((i) => i.start()));
    },
    stop() {
      aggregator.stop();
      for (const informer of Object.values(informers)) informer.stop();
    },
  };
}
