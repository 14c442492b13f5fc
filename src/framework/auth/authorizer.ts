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

export const alwaysAllow: Authorizer = { name: 'AlwaysAllow', authorize: () => ({ decision: 'allow' }) };
export const alwaysDeny: Authorizer = { name: 'AlwaysDeny', authorize: () => ({ decision: 'deny', reason: 'Everything is forbidden.' }) };

/** The group whose members may do anything, as in kube-apiserver (no authorizer is consulted). */
export const SYSTEM_MASTERS = 'system:masters';

export const privilegedGroups: Authorizer = {
  name: 'privileged-groups',
  authorize: ({ user }) => (user.groups.includes(SYSTEM_MASTERS) ? { decision: 'allow' } : { decision: 'no-opinion' }),
};

export class UnionAuthorizer implements Authorizer {
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
}
