/**
 * Escalation prevention, as kube-apiserver's RBAC storage does it: a user may
 * write a Role or ClusterRole only with rules they hold themselves (or the
 * `escalate` verb on it), and a binding only to a role whose rules they hold
 * (or the `bind` verb on that role). An aggregationRule can gather any rule,
 * so setting or changing one needs every permission (cluster-admin's).
 * Writes from inside the server (no user) and from system:masters are not checked.
 */
import { newForbidden, type StatusError } from '../../api/status';
import type { AdmissionAttributes, AdmissionOperation, ValidatingAdmissionPlugin } from '../../admission/interfaces';
import type { UserInfo } from '../../registry/context';
import { resourceAttributes, SYSTEM_MASTERS, type Authorizer } from '../authorizer';
import type { RBACAuthorizer } from './authorizer';
import { describeAtomicRule, uncoveredRules, type Rule } from './rules';
import { RBAC_GROUP } from './types';

const ROLE_RESOURCES: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles' };

/** Everything: what one must hold to use an aggregationRule. */
const FULL_AUTHORITY: Rule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

function aggregationRuleOf(obj: object | undefined): unknown {
  return (obj as { aggregationRule?: unknown } | undefined)?.aggregationRule;
}

function escalationError(attrs: AdmissionAttributes, user: UserInfo, why: string): StatusError {
  return newForbidden({ group: RBAC_GROUP, resource: attrs.resource.resource }, attrs.name, `user "${user.username}" (groups=[${user.groups.map((g) => JSON.stringify(g)).join(' ')}]) ${why}`);
}

export class RBACEscalationCheck implements ValidatingAdmissionPlugin {
  readonly name = 'RBACEscalationCheck';

  constructor(
    private readonly rbac: RBACAuthorizer,
    /** The server's whole authorizer, asked about the escalate and bind verbs. */
    private readonly authorizer: Authorizer,
  ) {}

  handles(operation: AdmissionOperation): boolean {
    return operation === 'CREATE' || operation === 'UPDATE';
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const user = attrs.user;
    if (attrs.kind.group !== RBAC_GROUP || !user || user.groups.includes(SYSTEM_MASTERS)) return;
    const obj = attrs.object as { rules?: Rule[]; roleRef?: { kind?: string; name?: string } };
    if (attrs.kind.kind === 'Role' || attrs.kind.kind === 'ClusterRole') {
      if (await this.allowedTo(user, 'escalate', attrs.resource.resource, attrs.namespace, attrs.name)) return;
      const aggregationRule = aggregationRuleOf(attrs.object);
      const aggregationRuleSet = aggregationRule !== undefined && JSON.stringify(aggregationRule) !== JSON.stringify(aggregationRuleOf(attrs.oldObject));
      if (aggregationRuleSet && uncoveredRules(this.rbac.policyRulesFor(user, ''), FULL_AUTHORITY).length > 0) {
        throw newForbidden({ group: RBAC_GROUP, resource: attrs.resource.resource }, attrs.name, 'must have cluster-admin privileges to use the aggregationRule');
      }
      this.confirmHeld(attrs, user, obj.rules ?? []);
      return;
    }
    const ref = obj.roleRef ?? {};
    const roleResource = ROLE_RESOURCES[ref.kind ?? ''];
    const roleNamespace = ref.kind === 'Role' ? attrs.namespace : '';
    if (roleResource && (await this.allowedTo(user, 'bind', roleResource, roleNamespace, ref.name ?? ''))) return;
    const rules = this.rbac.roleRules(ref, attrs.namespace);
    if (!rules) throw escalationError(attrs, user, `cannot bind to ${roleResource ?? 'roles'}.${RBAC_GROUP} "${ref.name}": it does not exist`);
    this.confirmHeld(attrs, user, rules);
  }

  private async allowedTo(user: UserInfo, verb: string, resource: string, namespace: string, name: string): Promise<boolean> {
    const result = await this.authorizer.authorize(resourceAttributes(user, verb, { apiGroup: RBAC_GROUP, resource, namespace, name }));
    return result.decision === 'allow';
  }

  private confirmHeld(attrs: AdmissionAttributes, user: UserInfo, rules: Rule[]): void {
    const missing = uncoveredRules(this.rbac.policyRulesFor(user, attrs.namespace), rules);
    if (missing.length === 0) return;
    throw escalationError(attrs, user, `is attempting to grant RBAC permissions not currently held:\n${missing.map(describeAtomicRule).join('\n')}`);
  }
}
