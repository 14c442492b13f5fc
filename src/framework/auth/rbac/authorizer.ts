/**
 * The RBAC authorizer: allows what a Role or ClusterRole bound to the user (by
 * name, group or service account) allows; otherwise it has no opinion. It
 * decides from objects held in memory, fed by watches on the RBAC Stores.
 */
import type { UserInfo } from '../../registry/context';
import type { StoredObject } from '../../storage/interface';
import { noRules, type AuthorizationAttributes, type AuthorizationResult, type Authorizer, type RuleResolver, type SubjectRules } from '../authorizer';
import { ruleAllows, type Rule } from './rules';
import { RBAC_GROUP } from './types';

interface StoredSubject {
  kind?: string;
  apiGroup?: string;
  name?: string;
  namespace?: string;
}

interface StoredBinding extends StoredObject {
  subjects?: StoredSubject[];
  roleRef?: { apiGroup?: string; kind?: string; name?: string };
}

interface StoredRole extends StoredObject {
  rules?: Rule[];
}

/** The objects the authorizer decides from, as their informers hold them. */
export interface RBACObjects {
  roles(): StoredObject[];
  clusterRoles(): StoredObject[];
  roleBindings(): StoredObject[];
  clusterRoleBindings(): StoredObject[];
}

/** Where a set of rules came from, for the reason of a decision. */
interface RuleSource {
  binding: StoredBinding;
  subject: StoredSubject;
  rules: Rule[];
  /** The role the binding refers to does not exist (its rules are empty). */
  roleMissing: boolean;
}

const SERVICE_ACCOUNT_PREFIX = 'system:serviceaccount:';

export function subjectMatches(subject: StoredSubject, user: UserInfo, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.username;
    case 'Group':
      return subject.name !== undefined && user.groups.includes(subject.name);
    case 'ServiceAccount':
      return user.username === `${SERVICE_ACCOUNT_PREFIX}${subject.namespace || bindingNamespace}:${subject.name}`;
    default:
      return false;
  }
}

function describe(source: RuleSource): string {
  const { binding, subject } = source;
  const bindingKind = binding.metadata.namespace ? `RoleBinding "${binding.metadata.name}/${binding.metadata.namespace}"` : `ClusterRoleBinding "${binding.metadata.name}"`;
  const who = subject.kind === 'ServiceAccount' ? `ServiceAccount "${subject.name}/${subject.namespace ?? binding.metadata.namespace}"` : `${subject.kind} "${subject.name}"`;
  return `RBAC: allowed by ${bindingKind} of ${binding.roleRef?.kind} "${binding.roleRef?.name}" to ${who}`;
}

function missingRoleError(binding: StoredBinding): string {
  const ref = binding.roleRef ?? {};
  const resource = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
  return `${resource}.${RBAC_GROUP} "${ref.name ?? ''}" not found`;
}

export class RBACAuthorizer implements Authorizer, RuleResolver {
  readonly name = 'RBAC';
  private objects?: RBACObjects;
  private index?: {
    roles: Map<string, Rule[]>;
    clusterRoles: Map<string, Rule[]>;
    roleBindings: Map<string, StoredBinding[]>;
    clusterRoleBindings: StoredBinding[];
  };

  /** Starts deciding from these objects; until then, and whenever they change, the index is rebuilt on demand. */
  attach(objects: RBACObjects): void {
    this.objects = objects;
    this.invalidate();
  }

  /** Tells the authorizer its objects changed. */
  invalidate(): void {
    this.index = undefined;
  }

  authorize(attrs: AuthorizationAttributes): AuthorizationResult {
    for (const source of this.sources(attrs.user, attrs.namespace)) {
      if (source.rules.some((rule) => ruleAllows(rule, attrs))) return { decision: 'allow', reason: describe(source) };
    }
    // As kube's RBAC: no opinion and no reason, so the 403 names only what was refused.
    return { decision: 'no-opinion' };
  }

  /** Every rule that applies to the user in the namespace ('' for cluster-wide rules only). */
  policyRulesFor(user: UserInfo, namespace: string): Rule[] {
    return [...this.sources(user, namespace)].flatMap((s) => s.rules);
  }

  /** The same rules as a rules review lists them; a binding to a missing role is an error, as kube reports it. */
  rulesFor(user: UserInfo, namespace: string): SubjectRules {
    const listed = noRules();
    for (const source of this.sources(user, namespace)) {
      if (source.roleMissing) listed.errors.push(missingRoleError(source.binding));
      for (const rule of source.rules) {
        const verbs = rule.verbs ?? [];
        if ((rule.resources ?? []).length > 0) {
          listed.resourceRules.push({ verbs, apiGroups: rule.apiGroups ?? [], resources: rule.resources ?? [], resourceNames: rule.resourceNames ?? [] });
        }
        if ((rule.nonResourceURLs ?? []).length > 0) listed.nonResourceRules.push({ verbs, nonResourceURLs: rule.nonResourceURLs ?? [] });
      }
    }
    return listed;
  }

  /** The rules of the role a binding refers to; undefined when it does not exist. */
  roleRules(roleRef: { kind?: string; name?: string }, namespace: string): Rule[] | undefined {
    const index = this.currentIndex();
    return roleRef.kind === 'ClusterRole' ? index.clusterRoles.get(roleRef.name ?? '') : index.roles.get(`${namespace}/${roleRef.name}`);
  }

  private *sources(user: UserInfo, namespace: string): Generator<RuleSource> {
    const index = this.currentIndex();
    for (const binding of index.clusterRoleBindings) {
      const subject = binding.subjects?.find((s) => subjectMatches(s, user, ''));
      if (!subject || binding.roleRef?.kind !== 'ClusterRole') continue;
      const rules = index.clusterRoles.get(binding.roleRef.name ?? '');
      yield { binding, subject, rules: rules ?? [], roleMissing: !rules };
    }
    if (!namespace) return;
    for (const binding of index.roleBindings.get(namespace) ?? []) {
      const subject = binding.subjects?.find((s) => subjectMatches(s, user, namespace));
      if (!subject) continue;
      const rules = this.roleRules(binding.roleRef ?? {}, namespace);
      yield { binding, subject, rules: rules ?? [], roleMissing: !rules };
    }
  }

  private currentIndex(): NonNullable<RBACAuthorizer['index']> {
    if (this.index) return this.index;
    const objects = this.objects;
    const rulesByKey = (items: StoredObject[], key: (o: StoredObject) => string) => new Map(items.map((o) => [key(o), (o as StoredRole).rules ?? []]));
    const roleBindings = new Map<string, StoredBinding[]>();
    for (const binding of objects?.roleBindings() ?? []) {
      const namespace = binding.metadata.namespace ?? '';
      roleBindings.set(namespace, [...(roleBindings.get(namespace) ?? []), binding as StoredBinding]);
    }
    this.index = {
      roles: rulesByKey(objects?.roles() ?? [], (o) => `${o.metadata.namespace}/${o.metadata.name}`),
      clusterRoles: rulesByKey(objects?.clusterRoles() ?? [], (o) => o.metadata.name ?? ''),
      roleBindings,
      clusterRoleBindings: (objects?.clusterRoleBindings() ?? []).filter((b) => (b as StoredBinding).roleRef?.apiGroup === RBAC_GROUP) as StoredBinding[],
    };
    return this.index;
  }
}
