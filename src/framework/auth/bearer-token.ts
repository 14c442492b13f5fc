/**
 * Bearer tokens (`Authorization: Bearer <token>`): token authenticators in turn
 * (token file, TokenReview); a token none of them knows is refused, not anonymous.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/context';
import type { Authenticator, AuthenticationResult } from './authenticator';

/** Recognises a bearer token, or not (undefined); throws when it cannot tell. */
export interface TokenAuthenticator {
  readonly name: string;
  authenticateToken(token: string): Promise<UserInfo | undefined> | UserInfo | undefined;
}

/** The token of an `Authorization: Bearer` header, if the request has one. */
export function bearerTokenOf(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : undefined;
}

export class BearerTokenAuthenticator implements Authenticator {
  readonly name = 'bearer-token';

  constructor(private readonly tokenAuthenticators: readonly TokenAuthenticator[]) {}

  async authenticate(req: IncomingMessage): Promise<AuthenticationResult> {
    const token = bearerTokenOf(req);
    if (token === undefined) return { kind: 'none' };
    const problems: string[] = [];
    for (const authenticator of this.tokenAuthenticators) {
      try {
        const user = await authenticator.authenticateToken(token);
        if (user) return { kind: 'user', user };
      } catch (err) {
        problems.push(`${authenticator.name}: ${(err as Error).message}`);
      }
    }
    return { kind: 'invalid', reason: problems.length > 0 ? problems.join('; ') : 'invalid bearer token' };
  }
}
