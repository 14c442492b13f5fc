/**
 * Delegated authorization: asks a core cluster (or a webhook) with a
 * SubjectAccessReview, and remembers allowed and refused answers for a while
 * each (`--authorization-webhook-cache-authorized-ttl`, `…-unauthorized-ttl`).
 */
import { rulesNotListed, type AuthorizationAttributes, type AuthorizationResult, type Authorizer, type RuleResolver, type SubjectRules } from './authorizer';
import { TTLCache } from './ttl-cache';
import type { ReviewEndpoint } from './webhook-client';

export const SUBJECT_ACCESS_REVIEW_PATH = '/apis/authorization.k8s.io/v1/subjectaccessreviews';

export interface SubjectAccessReviewAuthorizerOptions {
  endpoint: ReviewEndpoint;
  authorizedTTLMs: number;
  unauthorizedTTLMs: number;
}

interface ReviewStatus {
  allowed?: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

/** The spec of the SubjectAccessReview that asks about these attributes. */
export function subjectAccessReviewSpec(attrs: AuthorizationAttributes): Record<string, unknown> {
  const { user } = attrs;
  const subject = { user: user.username, uid: user.uid, groups: user.groups, extra: user.extra };
  if (!attrs.isResourceRequest) return { nonResourceAttributes: { path: attrs.path, verb: attrs.verb }, ...subject };
  const { namespace, verb, apiGroup: group, apiVersion: version, resource, subresource, name } = attrs;
  return { resourceAttributes: { namespace, verb, group, version, resource, subresource, name }, ...subject };
}

export class SubjectAccessReviewAuthorizer implements Authorizer, RuleResolver {
  readonly name = 'Webhook';
  private readonly cache = new TTLCache<AuthorizationResult>();

  constructor(private readonly options: SubjectAccessReviewAuthorizerOptions) {}

  async authorize(attrs: AuthorizationAttributes): Promise<AuthorizationResult> {
    const spec = subjectAccessReviewSpec(attrs);
    const key = JSON.stringify(spec);
    const cached = this.cache.get(key);
    if (cached) return cached;
    let status: ReviewStatus;
    try {
      const review = await this.options.endpoint.post<{ status?: ReviewStatus }>({ apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec });
      status = review.status ?? {};
    } catch (err) {
      // Not remembered: the next request asks again.
      return { decision: 'no-opinion', reason: `error contacting the authorization webhook: ${(err as Error).message}` };
    }
    const result: AuthorizationResult = status.allowed
      ? { decision: 'allow', reason: status.reason || undefined }
      : { decision: status.denied ? 'deny' : 'no-opinion', reason: status.reason || status.evaluationError || undefined };
    this.cache.set(key, result, result.decision === 'allow' ? this.options.authorizedTTLMs : this.options.unauthorizedTTLMs);
    return result;
  }

  /** A SubjectAccessReview answers one question at a time: the rules it allows cannot be listed. */
  rulesFor(): SubjectRules {
    return rulesNotListed('webhook');
  }
}
