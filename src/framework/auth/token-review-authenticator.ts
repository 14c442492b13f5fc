/**
 * Delegated bearer-token authentication: asks a core cluster (or a webhook) with a
 * TokenReview who a token belongs to, and remembers the answer for a while.
 */
import { createHash } from 'node:crypto';
import type { UserInfo } from '../registry/context';
import type { TokenAuthenticator } from './bearer-token';
import { TTLCache } from './ttl-cache';
import type { ReviewEndpoint } from './webhook-client';

export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

interface TokenReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  error?: string;
}

export interface TokenReviewAuthenticatorOptions {
  endpoint: ReviewEndpoint;
  /** How long an answer (yes or no) is remembered (`--authentication-token-webhook-cache-ttl`, default 10s). */
  cacheTTLMs: number;
  /** Audiences the tokens are meant for, when the server is configured with any. */
  audiences?: string[];
}

export class TokenReviewAuthenticator implements TokenAuthenticator {
  readonly name = 'webhook';
  private readonly cache = new TTLCache<UserInfo | null>();

  constructor(private readonly options: TokenReviewAuthenticatorOptions) {}

  async authenticateToken(token: string): Promise<UserInfo | undefined> {
    const key = createHash('sha256').update(token).digest('hex');
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const review = await this.options.endpoint.post<{ status?: TokenReviewStatus }>({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token, ...(this.options.audiences ? { audiences: this.options.audiences } : {}) },
    });
    const status = review.status ?? {};
    const user: UserInfo | null =
      status.authenticated && status.user?.username
        ? { username: status.user.username, uid: status.user.uid || undefined, groups: status.user.groups ?? [], extra: status.user.extra }
        : null;
    this.cache.set(key, user, this.options.cacheTTLMs);
    return user ?? undefined;
  }
}
