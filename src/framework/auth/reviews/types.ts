/**
 * The review kinds of authentication.k8s.io/v1 and authorization.k8s.io/v1:
 * objects a client creates to ask a question and gets back with the answer in
 * status; none is ever stored. Shapes as in k8s.io/api.
 */
import { KubeObject } from '../../api';
import { Field, Hub, Resource } from '../../runtime';

export const AUTHENTICATION_GROUP = 'authentication.k8s.io';
export const AUTHORIZATION_GROUP = 'authorization.k8s.io';

export class ReviewUserInfo {
  @Field(() => String, { description: 'The name that uniquely identifies this user among all active users.' })
  username?: string;

  @Field(() => String, { description: 'A unique value that identifies this user across time.' })
  uid?: string;

  @Field(() => String, { array: true, listType: 'atomic', description: 'The names of groups this user is a part of.' })
  groups?: string[];

  @Field(() => Object, { map: true, description: 'Any additional information provided by the authenticator (string arrays).' })
  extra?: Record<string, string[]>;
}

export class TokenReviewSpec {
  @Field(() => String, { description: 'Token is the opaque bearer token.' })
  token?: string;

  @Field(() => String, { array: true, listType: 'atomic', description: 'Audiences the token is meant for.' })
  audiences?: string[];
}

export class TokenReviewStatus {
  @Field(() => Boolean, { description: 'Authenticated indicates that the token was associated with a known user.' })
  authenticated?: boolean;

  @Field(() => ReviewUserInfo, { description: 'User is the UserInfo associated with the provided token.' })
  user?: ReviewUserInfo;

  @Field(() => String, { array: true, listType: 'atomic', description: 'Audiences the token is compatible with.' })
  audiences?: string[];

  @Field(() => String, { description: 'Error indicates that the token could not be checked.' })
  error?: string;
}

@Hub({ group: AUTHENTICATION_GROUP, kind: 'TokenReview' })
export class TokenReview extends KubeObject {
  @Field(() => TokenReviewSpec, { required: true })
  spec!: TokenReviewSpec;

  @Field(() => TokenReviewStatus)
  status?: TokenReviewStatus;
}

@Resource({
  group: AUTHENTICATION_GROUP,
  version: 'v1',
  kind: 'TokenReview',
  plural: 'tokenreviews',
  scope: 'Cluster',
  description: 'TokenReview attempts to authenticate a token to a known user.',
})
export class TokenReviewV1 extends TokenReview {}

export class SelfSubjectReviewStatus {
  @Field(() => ReviewUserInfo, { description: 'User attributes of the user making this request.' })
  userInfo?: ReviewUserInfo;
}

@Hub({ group: AUTHENTICATION_GROUP, kind: 'SelfSubjectReview' })
export class SelfSubjectReview extends KubeObject {
  @Field(() => SelfSubjectReviewStatus)
  status?: SelfSubjectReviewStatus;
}

@Resource({
  group: AUTHENTICATION_GROUP,
  version: 'v1',
  kind: 'SelfSubjectReview',
  plural: 'selfsubjectreviews',
  scope: 'Cluster',
  description: 'SelfSubjectReview contains the user information that the server has about the user making this request.',
})
export class SelfSubjectReviewV1 extends SelfSubjectReview {}

export class ResourceAttributes {
  @Field(() => String, { description: 'Namespace of the action being requested; "" means all namespaces for namespaced resources.' })
  namespace?: string;

  @Field(() => String, { description: 'A kubernetes resource API verb, like: get, list, watch, create, update, delete, proxy. "*" means all.' })
  verb?: string;

  @Field(() => String, { description: 'The API Group of the Resource. "*" means all.' })
  group?: string;

  @Field(() => String, { description: 'The API Version of the Resource. "*" means all.' })
  version?: string;

  @Field(() => String, { description: 'One of the existing resource types. "*" means all.' })
  resource?: string;

  @Field(() => String, { description: 'One of the existing resource types. "" means none.' })
  subresource?: string;

  @Field(() => String, { description: 'The name of the resource being requested for a "get" or deleted for a "delete". "" means all.' })
  name?: string;

  @Field(() => Object, { description: 'The field selector of a list or watch (not used in decisions here).' })
  fieldSelector?: Record<string, unknown>;

  @Field(() => Object, { description: 'The label selector of a list or watch (not used in decisions here).' })
  labelSelector?: Record<string, unknown>;
}

export class NonResourceAttributes {
  @Field(() => String, { description: 'The URL path of the request.' })
  path?: string;

  @Field(() => String, { description: 'The standard HTTP verb.' })
  verb?: string;
}

export class SubjectAccessReviewSpec {
  @Field(() => ResourceAttributes)
  resourceAttributes?: ResourceAttributes;

  @Field(() => NonResourceAttributes)
  nonResourceAttributes?: NonResourceAttributes;

  @Field(() => String, { description: 'The user you are testing for.' })
  user?: string;

  @Field(() => String, { array: true, listType: 'atomic', description: 'The groups you are testing for.' })
  groups?: string[];

  @Field(() => Object, { map: true, description: 'Extra information of the user (string arrays).' })
  extra?: Record<string, string[]>;

  @Field(() => String, { description: 'UID information about the requesting user.' })
  uid?: string;
}

export class SelfSubjectAccessReviewSpec {
  @Field(() => ResourceAttributes)
  resourceAttributes?: ResourceAttributes;

  @Field(() => NonResourceAttributes)
  nonResourceAttributes?: NonResourceAttributes;
}

export class SubjectAccessReviewStatus {
  @Field(() => Boolean, { required: true, description: 'Allowed is required. True if the action would be allowed, false otherwise.' })
  allowed!: boolean;

  @Field(() => Boolean, { description: 'Denied is optional. True if the action would be denied, otherwise false.' })
  denied?: boolean;

  @Field(() => String, { description: 'Reason is optional. It indicates why a request was allowed or denied.' })
  reason?: string;

  @Field(() => String, { description: 'EvaluationError is an indication that some error occurred during the authorization check.' })
  evaluationError?: string;
}

@Hub({ group: AUTHORIZATION_GROUP, kind: 'SubjectAccessReview' })
export class SubjectAccessReview extends KubeObject {
  @Field(() => SubjectAccessReviewSpec, { required: true })
  spec!: SubjectAccessReviewSpec;

  @Field(() => SubjectAccessReviewStatus)
  status?: SubjectAccessReviewStatus;
}

@Resource({
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'SubjectAccessReview',
  plural: 'subjectaccessreviews',
  scope: 'Cluster',
  description: 'SubjectAccessReview checks whether or not a user or group can perform an action.',
})
export class SubjectAccessReviewV1 extends SubjectAccessReview {}

@Hub({ group: AUTHORIZATION_GROUP, kind: 'LocalSubjectAccessReview' })
export class LocalSubjectAccessReview extends KubeObject {
  @Field(() => SubjectAccessReviewSpec, { required: true })
  spec!: SubjectAccessReviewSpec;

  @Field(() => SubjectAccessReviewStatus)
  status?: SubjectAccessReviewStatus;
}

@Resource({
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'LocalSubjectAccessReview',
  plural: 'localsubjectaccessreviews',
  scope: 'Namespaced',
  description: 'LocalSubjectAccessReview checks whether or not a user or group can perform an action in a given namespace.',
})
export class LocalSubjectAccessReviewV1 extends LocalSubjectAccessReview {}

@Hub({ group: AUTHORIZATION_GROUP, kind: 'SelfSubjectAccessReview' })
export class SelfSubjectAccessReview extends KubeObject {
  @Field(() => SelfSubjectAccessReviewSpec, { required: true })
  spec!: SelfSubjectAccessReviewSpec;

  @Field(() => SubjectAccessReviewStatus)
  status?: SubjectAccessReviewStatus;
}

@Resource({
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'SelfSubjectAccessReview',
  plural: 'selfsubjectaccessreviews',
  scope: 'Cluster',
  description: 'SelfSubjectAccessReview checks whether or the current user can perform an action.',
})
export class SelfSubjectAccessReviewV1 extends SelfSubjectAccessReview {}

export class SelfSubjectRulesReviewSpec {
  @Field(() => String, { description: 'Namespace to evaluate rules for. Required.' })
  namespace?: string;
}

export class ResourceRule {
  @Field(() => String, { array: true, listType: 'atomic', required: true, description: 'Verbs that apply to all the resources in this rule; "*" means all.' })
  verbs!: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'API groups of the resources; "*" means all.' })
  apiGroups?: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'Resources this rule applies to; "*" means all in the groups.' })
  resources?: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'Names the rule is limited to; empty means every name.' })
  resourceNames?: string[];
}

export class NonResourceRule {
  @Field(() => String, { array: true, listType: 'atomic', required: true, description: 'Verbs that apply to the URLs; "*" means all.' })
  verbs!: string[];

  @Field(() => String, { array: true, listType: 'atomic', description: 'Partial URLs; a trailing "*" matches a prefix.' })
  nonResourceURLs?: string[];
}

export class SubjectRulesReviewStatus {
  @Field(() => ResourceRule, { array: true, listType: 'atomic', required: true, description: 'The resource rules that apply to the user in the namespace; the order is not significant.' })
  resourceRules!: ResourceRule[];

  @Field(() => NonResourceRule, { array: true, listType: 'atomic', required: true, description: 'The non-resource rules that apply to the user; the order is not significant.' })
  nonResourceRules!: NonResourceRule[];

  @Field(() => Boolean, { required: true, description: 'True when the rules may be incomplete: an authorizer that cannot list rules, or an evaluation error.' })
  incomplete!: boolean;

  @Field(() => String, { description: 'Why the rules could not be evaluated in full; the rules listed still apply.' })
  evaluationError?: string;
}

@Hub({ group: AUTHORIZATION_GROUP, kind: 'SelfSubjectRulesReview' })
export class SelfSubjectRulesReview extends KubeObject {
  @Field(() => SelfSubjectRulesReviewSpec, { required: true })
  spec!: SelfSubjectRulesReviewSpec;

  @Field(() => SubjectRulesReviewStatus)
  status?: SubjectRulesReviewStatus;
}

@Resource({
  group: AUTHORIZATION_GROUP,
  version: 'v1',
  kind: 'SelfSubjectRulesReview',
  plural: 'selfsubjectrulesreviews',
  scope: 'Cluster',
  description: 'SelfSubjectRulesReview enumerates the set of actions the current user can perform within a namespace.',
})
export class SelfSubjectRulesReviewV1 extends SelfSubjectRulesReview {}
