/**
 * Authorization: may this user do this? Authorizers answer allow, deny or no
 * opinion; a union asks each in turn and the first that decides wins.
 */
import type { UserInfo } from '../registry/context';
import type { RequestInfo } from '../server/request-info';

export type Decision = 'allow' | 'deny' | 'no-opinion';

export interface AuthorizationAttributes {
  user: UserInfo;
  request: RequestInfo;
}

export interface AuthorizationResult {
  decision: Decision;
  reason?: string;
}

export interface Authorizer {
  readonly name: string;
  authorize(attrs: AuthorizationAttributes): Promise<AuthorizationResult> | AuthorizationResult;
}

export const alwaysAllow: Authorizer = { name: 'AlwaysAllow', authorize: () => ({ decision: 'allow' }) };
export const alwaysDeny: Authorizer = { name: 'AlwaysDeny', authorize: () => ({ decision: 'deny', reason: 'Everything is forbidden.' }) };

/** system:masters may do anything, as in kube-apiserver (no authorizer is consulted). */
export const privilegedGroups: Authorizer = {
  name: 'privileged-groups',
  authorize: ({ user }) => (user.groups.includes('system:masters') ? { decision: 'allow' } : { decision: 'no-opinion' }),
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
    return { decision: 'no-opinion', reason: reasons.join(', ') };
  }
}
