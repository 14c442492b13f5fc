/**
 * ABAC (`--authorization-mode=ABAC --authorization-policy-file=…`): one JSON
 * policy per line, in kube-apiserver's format (abac.authorization.kubernetes.io
 * v1beta1, or the legacy unversioned lines). The first policy that matches
 * allows; when none does, ABAC has no opinion.
 */
import { readFileSync } from 'node:fs';
import { AUTHENTICATED_GROUP } from './authenticator';
import type { UserInfo } from '../registry/context';
import { isReadOnlyVerb, noRules, type AuthorizationAttributes, type AuthorizationResult, type Authorizer, type RuleResolver, type SubjectRules } from './authorizer';

export const ABAC_API_VERSION = 'abac.authorization.kubernetes.io/v1beta1';

/** One policy, as matched (the v1beta1 spec, with legacy lines converted to it). */
export interface ABACPolicy {
  user: string;
  group: string;
  readonly: boolean;
  apiGroup: string;
  resource: string;
  namespace: string;
  nonResourcePath: string;
}

const SPEC_FIELDS = { user: 'string', group: 'string', readonly: 'boolean', apiGroup: 'string', resource: 'string', namespace: 'string', nonResourcePath: 'string' } as const;

function readFields(source: Record<string, unknown>, allowed: readonly (keyof typeof SPEC_FIELDS)[]): ABACPolicy {
  const policy: ABACPolicy = { user: '', group: '', readonly: false, apiGroup: '', resource: '', namespace: '', nonResourcePath: '' };
  for (const field of allowed) {
    const value = source[field];
    if (value === undefined || value === null) continue;
    if (typeof value !== SPEC_FIELDS[field]) throw new Error(`${field} must be a ${SPEC_FIELDS[field]}`);
    (policy as unknown as Record<string, unknown>)[field] = value;
  }
  return policy;
}

/** A `*` user or group stands for every authenticated user (anonymous requests excluded), as in kube. */
function starMeansAuthenticated(policy: ABACPolicy): ABACPolicy {
  return policy.user === '*' || policy.group === '*' ? { ...policy, user: '', group: AUTHENTICATED_GROUP } : policy;
}

/** A legacy (unversioned) line: empty fields widen, and every API group matches. */
function fromLegacy(line: Record<string, unknown>): ABACPolicy {
  const policy = starMeansAuthenticated(readFields(line, ['user', 'group', 'readonly', 'resource', 'namespace']));
  if (!policy.user && !policy.group) policy.group = AUTHENTICATED_GROUP;
  const pathsToo = !policy.namespace && !policy.resource;
  return { ...policy, namespace: policy.namespace || '*', resource: policy.resource || '*', apiGroup: '*', nonResourcePath: pathsToo ? '*' : '' };
}

/** Parses a policy file's text; a line that does not decode fails with its number. */
export function parseABACPolicies(text: string, file: string): ABACPolicy[] {
  const policies: ABACPolicy[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    try {
      const parsed = JSON.parse(line) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('a policy is a JSON object');
      const obj = parsed as Record<string, unknown>;
      if (obj.apiVersion === undefined && obj.kind === undefined) {
        policies.push(fromLegacy(obj));
        return;
      }
      if (obj.apiVersion !== ABAC_API_VERSION || obj.kind !== 'Policy') {
        throw new Error(`unknown policy kind ${JSON.stringify(obj.kind)} in version ${JSON.stringify(obj.apiVersion)}`);
      }
      const spec = obj.spec;
      if (typeof spec !== 'object' || spec === null) throw new Error('spec is required');
      policies.push(starMeansAuthenticated(readFields(spec as Record<string, unknown>, Object.keys(SPEC_FIELDS) as (keyof typeof SPEC_FIELDS)[])));
    } catch (err) {
      throw new Error(`error reading policy file ${file}, line ${index + 1}: ${JSON.stringify(line)}: ${(err as Error).message}`);
    }
  });
  return policies;
}

function subjectMatches(policy: ABACPolicy, user: UserInfo): boolean {
  let matched = false;
  if (policy.user) {
    matched = policy.user === '*' || policy.user === user.username;
    if (!matched) return false;
  }
  if (policy.group) {
    matched = policy.group === '*' || user.groups.includes(policy.group);
    if (!matched) return false;
  }
  return matched;
}

function nonResourceMatches(policy: ABACPolicy, path: string): boolean {
  const pattern = policy.nonResourcePath;
  if (pattern === '*' || pattern === path) return true;
  return pattern.endsWith('*') && path.startsWith(pattern.replace(/\*+$/, ''));
}

function resourceMatches(policy: ABACPolicy, attrs: AuthorizationAttributes): boolean {
  const matches = (pattern: string, value: string) => pattern === '*' || pattern === value;
  return matches(policy.namespace, attrs.namespace) && matches(policy.resource, attrs.resource) && matches(policy.apiGroup, attrs.apiGroup);
}

export function policyMatches(policy: ABACPolicy, attrs: AuthorizationAttributes): boolean {
  if (!subjectMatches(policy, attrs.user)) return false;
  if (policy.readonly && !isReadOnlyVerb(attrs.verb)) return false;
  return attrs.isResourceRequest ? resourceMatches(policy, attrs) : nonResourceMatches(policy, attrs.path);
}

/** What a policy grants: read-only policies the reading verbs, others every verb. */
function policyVerbs(policy: ABACPolicy): string[] {
  return policy.readonly ? ['get', 'list', 'watch'] : ['*'];
}

export class ABACAuthorizer implements Authorizer, RuleResolver {
  readonly name = 'ABAC';

  constructor(private readonly policies: readonly ABACPolicy[]) {}

  static fromFile(file: string): ABACAuthorizer {
    return new ABACAuthorizer(parseABACPolicies(readFileSync(file, 'utf8'), file));
  }

  authorize(attrs: AuthorizationAttributes): AuthorizationResult {
    return this.policies.some((p) => policyMatches(p, attrs)) ? { decision: 'allow' } : { decision: 'no-opinion', reason: 'No policy matched.' };
  }

  /** As kube's ABAC lists them: the policies of the user that apply in the namespace (or in every namespace, `*`). */
  rulesFor(user: UserInfo, namespace: string): SubjectRules {
    const rules = noRules();
    for (const policy of this.policies) {
      if (!subjectMatches(policy, user) || (policy.namespace !== '*' && policy.namespace !== namespace)) continue;
      const verbs = policyVerbs(policy);
      if (policy.resource) rules.resourceRules.push({ verbs, apiGroups: [policy.apiGroup], resources: [policy.resource], resourceNames: [] });
      if (policy.nonResourcePath) rules.nonResourceRules.push({ verbs, nonResourceURLs: [policy.nonResourcePath] });
    }
    return rules;
  }
}
