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
  /** Credentials present but invalid: the request is refused (401), not treated as anonymous. */
  | { kind: 'invalid'; reason: string };

export interface Authenticator {
  readonly name: string;
  authenticate(req: IncomingMessage): Promise<AuthenticationResult> | AuthenticationResult;
}

export const ANONYMOUS_USER: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

/** Tries each authenticator in turn; adds system:authenticated to whoever is recognised. */
export class UnionAuthenticator implements Authenticator {
  readonly name = 'union';

  constructor(private readonly authenticators: readonly Authenticator[]) {}

  async authenticate(req: IncomingMessage): Promise<AuthenticationResult> {
    for (const authenticator of this.authenticators) {
      const result = await authenticator.authenticate(req);
      if (result.kind === 'none') continue;
      if (result.kind === 'user' && !result.user.groups.includes('system:authenticated')) {
        return { kind: 'user', user: { ...result.user, groups: [...result.user.groups, 'system:authenticated'] } };
      }
      return result;
    }
    return { kind: 'none' };
  }
}
