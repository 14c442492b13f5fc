/**
 * authentication.k8s.io/v1 (TokenReview, SelfSubjectReview) and
 * authorization.k8s.io/v1 (SubjectAccessReview, LocalSubjectAccessReview,
 * SelfSubjectAccessReview, SelfSubjectRulesReview): what a server needs to act as the core cluster of
 * delegating servers, and what `kubectl auth can-i` (also `--list`) and
 * `kubectl auth whoami` ask.
 */
import { newInvalid } from '../../api/status';
import type { KubeObject, ResourceInfo, Scheme } from '../../runtime';
import type { RequestContext, UserInfo } from '../../registry/context';
import type { Store } from '../../registry/store';
import type { APIGroupInfo } from '../../server/api-group-info';
import { ANONYMOUS_USER } from '../authenticator';
import type { Authorizer } from '../authorizer';
import type { TokenAuthenticator } from '../bearer-token';
import { ReviewStore, type ReviewFn } from './review-store';
import { accessAttributes, checkLocalNamespace, decideAccess, subjectOf, validateAccessSpec } from './subject-access-review';
import { reviewRules } from './self-subject-rules-review';
import { reviewToken } from './token-review';
import {
  AUTHENTICATION_GROUP,
  AUTHORIZATION_GROUP,
  LocalSubjectAccessReview,
  LocalSubjectAccessReviewV1,
  SelfSubjectAccessReview,
  SelfSubjectAccessReviewV1,
  SelfSubjectReview,
  SelfSubjectReviewV1,
  SelfSubjectRulesReview,
  SelfSubjectRulesReviewV1,
  SubjectAccessReview,
  SubjectAccessReviewV1,
  TokenReview,
  TokenReviewV1,
} from './types';

export interface ReviewGroupsOptions {
  scheme: Scheme;
  /** Decides access reviews: the server's own authorizer. */
  authorizer: Authorizer;
  /** Answer TokenReviews; none: every token is unknown. */
  tokenAuthenticators: readonly TokenAuthenticator[];
}

function requester(ctx: RequestContext): UserInfo {
  return ctx.user ?? ANONYMOUS_USER;
}

export function reviewGroups(options: ReviewGroupsOptions): APIGroupInfo[] {
  const { scheme, authorizer } = options;
  scheme.addKnownTypes(
    TokenReview,
    TokenReviewV1,
    SelfSubjectReview,
    SelfSubjectReviewV1,
    SubjectAccessReview,
    SubjectAccessReviewV1,
    LocalSubjectAccessReview,
    LocalSubjectAccessReviewV1,
    SelfSubjectAccessReview,
    SelfSubjectAccessReviewV1,
    SelfSubjectRulesReview,
    SelfSubjectRulesReviewV1,
  );
  const store = <T extends KubeObject>(
    group: string,
    resource: string,
    review: ReviewFn<T>,
  ) => {
    const info: ResourceInfo | undefined = scheme.resourceInfo({ group, version: 'v1', resource });
    if (!info) throw new Error(`${resource}.${group} did not register`);
    // The review is typed by its kind; the Store is handed around as a plain Store.
    return new ReviewStore<T>({ scheme, resource: info }, review) as unknown as Store;
  };

  const authentication = {
    tokenreviews: store<TokenReview>(AUTHENTICATION_GROUP, 'tokenreviews', async (_ctx, review) => {
      review.status = await reviewToken(options.tokenAuthenticators, review.spec);
    }),
    selfsubjectreviews: store<SelfSubjectReview>(AUTHENTICATION_GROUP, 'selfsubjectreviews', (ctx, review) => {
      const user = requester(ctx);
      review.status = { userInfo: { username: user.username, uid: user.uid, groups: user.groups, extra: user.extra } };
    }),
  };
  const authorization = {
    subjectaccessreviews: store<SubjectAccessReview>(AUTHORIZATION_GROUP, 'subjectaccessreviews', async (_ctx, review) => {
      const subject = subjectOf('SubjectAccessReview', review.metadata?.name ?? '', review.spec);
      review.status = await decideAccess(authorizer, accessAttributes(subject, review.spec));
    }),
    localsubjectaccessreviews: store<LocalSubjectAccessReview>(AUTHORIZATION_GROUP, 'localsubjectaccessreviews', async (ctx, review) => {
      const subject = subjectOf('LocalSubjectAccessReview', review.metadata?.name ?? '', review.spec);
      checkLocalNamespace(review.spec, ctx.namespace);
      review.status = await decideAccess(authorizer, accessAttributes(subject, review.spec));
    }),
    selfsubjectaccessreviews: store<SelfSubjectAccessReview>(AUTHORIZATION_GROUP, 'selfsubjectaccessreviews', async (ctx, review) => {
      const errors = validateAccessSpec(review.spec);
      if (errors.length > 0) throw newInvalid({ group: AUTHORIZATION_GROUP, kind: 'SelfSubjectAccessReview' }, review.metadata?.name ?? '', errors);
      review.status = await decideAccess(authorizer, accessAttributes(requester(ctx), review.spec));
    }),
    selfsubjectrulesreviews: store<SelfSubjectRulesReview>(AUTHORIZATION_GROUP, 'selfsubjectrulesreviews', async (ctx, review) => {
      review.status = await reviewRules(authorizer, requester(ctx), review.spec);
    }),
  };
  return [
    { group: AUTHENTICATION_GROUP, scheme, versionedResources: { v1: authentication } },
    { group: AUTHORIZATION_GROUP, scheme, versionedResources: { v1: authorization } },
  ];
}
