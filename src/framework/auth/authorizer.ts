/**
 * Authorization: may this user do this? Authorizers answer allow, deny or no
 * opinion; a union asks each in turn and the first that decides wins.
 */
import type { UserInfo } from '../registry/context';
import type { RequestInfo } from '../server/request-info';

export type Decision = 'allow' | 'deny' | 'no-opinion';

/**
 * What is being asked (k8s.io/apiserver's authorizer.Attributes): a verb on a
 * resource, or a verb (the lower-cased HTTP method) on a non-resource path.
 */
export interface AuthorizationAttributes {
  user: UserInfo;
  /** get, list, watch, create, update, patch, delete, deletecollection; also impersonate, bind, escalate, or an HTTP verb for paths. */
  verb: string;
  isResourceRequest: boolean;
  /** The URL path (non-resource requests). */
  path: string;
  namespace: string;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  name: string;
}

export interface AuthorizationResult {
  decision: Decision;
  reason?: string;
}

export interface Authorizer {
  readonly name: string;
  authorize(attrs: AuthorizationAttributes): Promise<AuthorizationResult> | AuthorizationResult;
}

/** Verbs on resources of API groups (optionally only some names), as a rules review lists them. */
export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

/** Verbs on URL paths, as a rules review lists them. */
export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}

/** What a user may do in a namespace, as far as the authorizers can tell. */
export interface SubjectRules {
  resourceRules: ResourceRuleInfo[];
  nonResourceRules: NonResourceRuleInfo[];
  /** True when the user may be allowed more than is listed (an authorizer that cannot list what it allows). */
  incomplete: boolean;
  /** What went wrong while listing; the rules listed still hold. */
  errors: string[];
}

/**
 * An authorizer that can list the rules a user holds (k8s.io/apiserver's
 * authorizer.RuleResolver), which is what a SelfSubjectRulesReview and
 * `kubectl auth can-i --list` show. Listing never fails: problems go into
 * `errors`, and `incomplete` says whether more may be allowed than listed.
 */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<SubjectRules> | SubjectRules;
}

export function isRuleResolver(authorizer: object): authorizer is RuleResolver {
  return typeof (authorizer as Partial<RuleResolver>).rulesFor === 'function';
}

/** No rules, complete: the answer of an authorizer that allows nothing. */
export function noRules(): SubjectRules {
  return { resourceRules: [], nonResourceRules: [], incomplete: false, errors: [] };
}

/** The answer of an authorizer that cannot list what it allows, in kube's words. */
export function rulesNotListed(authorizerName: string): SubjectRules {
  return { ...noRules(), incomplete: true, errors: [`${authorizerName} authorizer does not support user rule resolution`] };
}

/** The rules an authorizer lists; one that cannot list them leaves the answer incomplete. */
export async function resolveRules(authorizer: Authorizer, user: UserInfo, namespace: string): Promise<SubjectRules> {
  return isRuleResolver(authorizer) ? authorizer.rulesFor(user, namespace) : rulesNotListed(authorizer.name);
}

/** The attributes of an HTTP request, as the authorization filter asks them. */
export function requestAttributes(user: UserInfo, info: RequestInfo): AuthorizationAttributes {
  if (!info.isResourceRequest) {
    return { user, verb: info.verb, isResourceRequest: false, path: info.path, namespace: '', apiGroup: '', apiVersion: '', resource: '', subresource: '', name: '' };
  }
  const { verb, path, namespace, apiGroup, apiVersion, resource, subresource, name } = info;
  return { user, verb, isResourceRequest: true, path, namespace, apiGroup, apiVersion, resource, subresource, name };
}

/** Attributes of a resource request that did not come from a URL (impersonation, escalation checks). */
export function resourceAttributes(
  user: UserInfo,
  verb: string,
  what: { apiGroup: string; resource: string; subresource?: string; namespace?: string; name?: string; apiVersion?: string },
): AuthorizationAttributes {
  return {
    user,
    verb,
    isResourceRequest: true,
    path: '',
    namespace: what.namespace ?? '',
    apiGroup: what.apiGroup,
    apiVersion: what.apiVersion ?? '*',
    resource: what.resource,
    subresource: what.subresource ?? '',
    name: what.name ?? '',
  };
}

/** The verbs that only read. */
export function isReadOnlyVerb(verb: string): boolean {
  return verb === 'get' || verb === 'list' || verb === 'watch';
}

function everything(): SubjectRules {
  return {
    resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'], resourceNames: [] }],
    nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
    incomplete: false,
    errors: [],
  };
}

export const alwaysAllow: Authorizer & RuleResolver = { name: 'AlwaysAllow', authorize: () => ({ decision: 'allow' }), rulesFor: everything };
export const alwaysDeny: Authorizer & RuleResolver = { name: 'AlwaysDeny', authorize: () => ({ decision: 'deny', reason: 'Everything is forbidden.' }), rulesFor: noRules };

/** The group whose members may do anything, as in kube-apiserver (no authorizer is consulted). */
export const SYSTEM_MASTERS = 'system:masters';

export const privilegedGroups: Authorizer & RuleResolver = {
  name: 'privileged-groups',
  authorize: ({ user }) => (user.groups.includes(SYSTEM_MASTERS) ? { decision: 'allow' } : { decision: 'no-opinion' }),
  // As in kube-apiserver this lists nothing: with RBAC, the bootstrap cluster-admin binding of system:masters lists everything.
  rulesFor: noRules,
};

export class UnionAuthorizer implements Authorizer, RuleResolver {
  readonly name = 'union';

  constructor(private readonly authorizers: readonly Authorizer[]) {}

  async authorize(attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
    const reasons: string[] = [];
    for (const authorizer of this.authorizers) {
      const result = await authorizer.authorize(attrs);
      if (result.decision !== 'no-opinion') return result;
      if (result.reason) reasons.push(result.reason);
    }
    return { decision: 'no-opinion', reason: reasons.join(', ') || undefined };
  }

  /** Every authorizer's rules together: incomplete if any is, with every error. */
  async rulesFor(user: UserInfo, namespace: string): Promise<SubjectRules> {
    const all = noRules();
    for (const authorizer of this.authorizers) {
      const rules = await resolveRules(authorizer, user, namespace);
      all.resourceRules.push(...rules.resourceRules);
      all.nonResourceRules.push(...rules.nonResourceRules);
      all.incomplete ||= rules.incomplete;
      all.errors.push(...rules.errors);
    }
    return all;
  }
}
