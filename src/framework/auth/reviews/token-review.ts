/** Answers TokenReview with the server's bearer token authenticators. */
import { newBadRequest } from '../../api/status';
import { withAuthenticatedGroup } from '../authenticator';
import type { TokenAuthenticator } from '../bearer-token';
import type { TokenReviewSpec, TokenReviewStatus } from './types';

export async function reviewToken(tokens: readonly TokenAuthenticator[], spec: TokenReviewSpec | undefined): Promise<TokenReviewStatus> {
  const token = spec?.token;
  if (!token) throw newBadRequest('token is required for TokenReview in authentication');
  const problems: string[] = [];
  for (const authenticator of tokens) {
    try {
      const found = await authenticator.authenticateToken(token);
      if (!found) continue;
      const user = withAuthenticatedGroup(found);
      return { authenticated: true, user: { username: user.username, uid: user.uid, groups: user.groups, extra: user.extra }, audiences: spec.audiences };
    } catch (err) {
      problems.push(`[${authenticator.name}: ${(err as Error).message}]`);
    }
  }
  // authenticated: false is left out, as kube-apiserver's omitempty leaves it out.
  return { user: {}, error: problems.length > 0 ? problems.join(', ') : undefined };
}
