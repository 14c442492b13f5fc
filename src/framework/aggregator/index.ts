export { APIREGISTRATION_GROUP, APIService, APIServiceSpec, APIServiceStatus, APIServiceV1, AVAILABLE_CONDITION, ServiceReference } from './apiservice-types';
export { apiServiceStrategy, validateAPIService } from './apiservice-strategy';
export { AvailabilityController, type Availability, type AvailabilityControllerOptions, type ServiceState } from './availability-controller';
export { aggregatorGroup, type AggregatorOptions } from './install';
export {
  ClusterAuthenticationTrustController,
  extensionAuthenticationData,
  type ClusterAuthentication,
  type ClusterAuthenticationTrustOptions,
  type RequestHeaderPublication,
} from './cluster-authentication';
export { coreClusterGroups, parseCoreClusterArgs, type CoreClusterOptions } from './core-cluster';
export { AUTH_DELEGATOR_CLUSTER_ROLE, ensureExtensionServerRoles } from './extension-server-roles';
export { parseServiceEndpoints, staticServiceResolver, takeServiceEndpointFlags, type ServiceReferenceKey, type ServiceResolver } from './service-resolver';
export { frontProxyHeaders } from './front-proxy-headers';
export {
  deploymentManifests,
  generateServingTLS,
  MANIFESTS_USAGE,
  manifestsYAML,
  parseManifestsArgs,
  servedGroupVersions,
  type ManifestOptions,
  type ManifestsArgs,
} from './manifests';
