/**
 * Authentication: who is making a request. Authenticators are tried in order; the
 * first that recognises the request decides (a union, as in kube-apiserver).
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/context';

export type AuthenticationResult =
  /** The request carries no credentials this authenticator understands. */
  | { kind: 'none' }
  /** Credentials present and valid. */
  | { kind: 'user'; user: UserInfo }
  /** Credentials present but invalid: refused (401) unless another authenticator recognises the request. */
  | { kind: 'invalid'; reason: string };

export interface Authenticator {
  readonly name: string;
  authenticate(req: IncomingMessage): Promise<AuthenticationResult> | AuthenticationResult;
}

export const ANONYMOUS_USER: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** The group every recognised user belongs to. */
export const AUTHENTICATED_GROUP = 'system:authenticated';

/** The user with system:authenticated added (once). */
export function withAuthenticatedGroup(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED_GROUP) ? user : { ...user, groups: [...user.groups, AUTHENTICATED_GROUP] };
}

/**
 * Tries each authenticator in turn; the first user found wins and gets
 * system:authenticated. As in kube-apiserver, invalid credentials seen by one
 * authenticator do not stop the others: the request is refused only when none
 * recognises it, and then for the reasons collected.
 */
export class UnionAuthenticator implements Authenticator {
  readonly name = 'union';

  constructor(private readonly authenticators: readonly Authenticator[]) {}

  async authenticate(req: IncomingMessage): Promise<AuthenticationResult> {
    const reasons: string[] = [];
    for (const authenticator of this.authenticators) {
      const result = await authenticator.authenticate(req);
      if (result.kind === 'user') return { kind: 'user', user: withAuthenticatedGroup(result.user) };
      if (result.kind === 'invalid') reasons.push(result.reason);
    }
    return reasons.length > 0 ? { kind: 'invalid', reason: reasons.join('; ') } : { kind: 'none' };
  }
}
