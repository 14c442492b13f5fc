/**
 * rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding and
 * ClusterRoleBinding, shapes as in k8s.io/api. The wire form and the internal
 * form are the same.
 */
import { KubeObject } from '../../api';
import type { LabelSelectorObject } from '../../api/labels';
import { Field, Hub, Resource } from '../../runtime';
import { CLUSTER_ROLE_BINDING_COLUMNS, ROLE_BINDING_COLUMNS, ROLE_COLUMNS } from './printer-columns';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

export class PolicyRule {
  @Field(() => String, { array: true, listType: 'atomic', required: true, description: 'Verbs that apply to all the resources in this rule; "*" means all.' })
  verbs!: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'API groups of the resources; "" is the core group, "*" all groups.' })
  apiGroups?: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'Resources this rule applies to; "*" all, "pods/log" a subresource, "*/scale" one subresource of all.' })
  resources?: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'Names the rule is limited to; empty means every name.' })
  resourceNames?: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'Non-resource URLs (ClusterRoles only); a trailing "*" matches a prefix.' })
  nonResourceURLs?: string[];
}

export class Subject {
  @Field(() => String, { required: true, description: 'User, Group or ServiceAccount.' })
  kind!: string;

  @Field(() => String, { description: 'rbac.authorization.k8s.io for User and Group, "" for ServiceAccount.' })
  apiGroup?: string;

  @Field(() => String, { required: true, description: 'Name of the object being referenced.' })
  name!: string;

  @Field(() => String, { description: 'Namespace of a ServiceAccount.' })
  namespace?: string;
}

export class RoleRef {
  @Field(() => String, { required: true, description: 'The group of the referenced role.' })
  apiGroup!: string;

  @Field(() => String, { required: true, description: 'Role or ClusterRole.' })
  kind!: string;

  @Field(() => String, { required: true, description: 'Name of the referenced role.' })
  name!: string;
}

export class AggregationRule {
  @Field(() => Object, {
    array: true,
    listType: 'atomic',
    description: 'Label selectors of the ClusterRoles whose rules this one aggregates; the server keeps its rules equal to theirs, and rules set by hand are overwritten.',
  })
  clusterRoleSelectors?: LabelSelectorObject[];
}

@Hub({ group: RBAC_GROUP, kind: 'Role' })
export class Role extends KubeObject {
  @Field(() => PolicyRule, { array: true, listType: 'atomic', description: 'The PolicyRules of this Role.' })
  rules?: PolicyRule[];
}

@Resource({ group: RBAC_GROUP, version: 'v1', kind: 'Role', plural: 'roles', scope: 'Namespaced', description: 'A namespaced set of PolicyRules.', printerColumns: ROLE_COLUMNS })
export class RoleV1 extends Role {}

@Hub({ group: RBAC_GROUP, kind: 'ClusterRole' })
export class ClusterRole extends KubeObject {
  @Field(() => PolicyRule, { array: true, listType: 'atomic', description: 'The PolicyRules of this ClusterRole.' })
  rules?: PolicyRule[];

  @Field(() => AggregationRule, { description: 'How to build the rules of this ClusterRole from others.' })
  aggregationRule?: AggregationRule;
}

@Resource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  scope: 'Cluster',
  description: 'A cluster-wide set of PolicyRules.',
  printerColumns: ROLE_COLUMNS,
})
export class ClusterRoleV1 extends ClusterRole {}

@Hub({ group: RBAC_GROUP, kind: 'RoleBinding' })
export class RoleBinding extends KubeObject {
  @Field(() => Subject, { array: true, listType: 'atomic', description: 'Who the role is granted to.' })
  subjects?: Subject[];

  @Field(() => RoleRef, { required: true, description: 'A Role in this namespace or a ClusterRole; cannot change.' })
  roleRef!: RoleRef;
}

@Resource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  scope: 'Namespaced',
  description: 'Grants the permissions of a role to subjects within a namespace.',
  printerColumns: ROLE_BINDING_COLUMNS,
})
export class RoleBindingV1 extends RoleBinding {}

@Hub({ group: RBAC_GROUP, kind: 'ClusterRoleBinding' })
export class ClusterRoleBinding extends KubeObject {
  @Field(() => Subject, { array: true, listType: 'atomic', description: 'Who the role is granted to.' })
  subjects?: Subject[];

  @Field(() => RoleRef, { required: true, description: 'A ClusterRole; cannot change.' })
  roleRef!: RoleRef;
}

@Resource({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  scope: 'Cluster',
  description: 'Grants the permissions of a ClusterRole to subjects across the cluster.',
  printerColumns: CLUSTER_ROLE_BINDING_COLUMNS,
})
export class ClusterRoleBindingV1 extends ClusterRoleBinding {}
