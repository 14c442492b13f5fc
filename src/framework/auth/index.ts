export { ANONYMOUS_USER, AUTHENTICATED_GROUP, UnionAuthenticator, withAuthenticatedGroup } from './authenticator';
export type { Authenticator, AuthenticationResult } from './authenticator';
export { newAuthenticator, type AuthenticationConfig } from './authentication';
export {
  alwaysAllow,
  alwaysDeny,
  isReadOnlyVerb,
  isRuleResolver,
  noRules,
  privilegedGroups,
  requestAttributes,
  resolveRules,
  rulesNotListed,
  resourceAttributes,
  SYSTEM_MASTERS,
  UnionAuthorizer,
} from './authorizer';
export type {
  AuthorizationAttributes,
  AuthorizationResult,
  Authorizer,
  Decision,
  NonResourceRuleInfo,
  ResourceRuleInfo,
  RuleResolver,
  SubjectRules,
} from './authorizer';
export { forbiddenReason, newForbiddenRequest } from './forbidden';
export { DynamicCABundle, parseCertificateBundle, staticCABundle, unionCABundle, verifyClientChain, type CABundleSource } from './client-certificate';
export { X509Authenticator } from './x509';
export { RequestHeaderAuthenticator, type RequestHeaderOptions } from './request-header';
export { DynamicRequestHeaderAuthenticator } from './dynamic-request-header';
export {
  AUTHENTICATION_CONFIGMAP,
  AUTHENTICATION_READER_ROLE,
  parseAuthenticationConfigMap,
  type ClusterAuthenticationSettings,
  type RequestHeaderSettings,
} from './authentication-configmap';
export { BearerTokenAuthenticator, bearerTokenOf, type TokenAuthenticator } from './bearer-token';
export { parseTokenFile, TokenFileAuthenticator } from './token-file';
export { reviewEndpoint, type ReviewEndpoint } from './webhook-client';
export { TOKEN_REVIEW_PATH, TokenReviewAuthenticator, type TokenReviewAuthenticatorOptions } from './token-review-authenticator';
export { SUBJECT_ACCESS_REVIEW_PATH, SubjectAccessReviewAuthorizer, type SubjectAccessReviewAuthorizerOptions } from './subject-access-review-authorizer';
export { ABAC_API_VERSION, ABACAuthorizer, parseABACPolicies, policyMatches, type ABACPolicy } from './abac';
export { RBACAuthorizer, type RBACObjects } from './rbac/authorizer';
export { installRBAC, type InstalledRBAC, type RBACInstallOptions } from './rbac/install';
export { aggregateToLabel, BOOTSTRAP_CLUSTER_ROLE_BINDINGS, BOOTSTRAP_CLUSTER_ROLES } from './rbac/bootstrap-policy';
export { ruleAllows, uncoveredRules, type Rule } from './rbac/rules';
export {
  AggregationRule,
  ClusterRole,
  ClusterRoleBinding,
  ClusterRoleBindingV1,
  ClusterRoleV1,
  PolicyRule,
  RBAC_GROUP,
  Role,
  RoleBinding,
  RoleBindingV1,
  RoleRef,
  RoleV1,
  Subject,
} from './rbac/types';
export { reviewGroups, type ReviewGroupsOptions } from './reviews/install';
export {
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
} from './reviews/types';
