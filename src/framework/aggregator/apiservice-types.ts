/**
 * apiregistration.k8s.io/v1 APIService: tells the aggregator which server serves a
 * group/version — a Service to proxy to, or none for a group/version served locally.
 */
import { Condition, KubeObject } from '../api/meta';
import { Field, Hub, Resource } from '../runtime';

export const APIREGISTRATION_GROUP = 'apiregistration.k8s.io';

/** The one condition type kube-aggregator sets. */
export const AVAILABLE_CONDITION = 'Available';

export class ServiceReference {
  @Field(() => String, { description: 'The namespace of the service.' })
  namespace?: string;

  @Field(() => String, { description: 'The name of the service.' })
  name?: string;

  @Field(() => Number, { type: 'integer', format: 'int32', minimum: 1, maximum: 65535, description: 'The port on the service that hosts the server. Defaults to 443.' })
  port?: number;
}

export class APIServiceSpec {
  @Field(() => ServiceReference, { description: 'The service this APIService points to; absent for a group/version served by the aggregator itself.' })
  service?: ServiceReference;

  @Field(() => String, { description: 'The API group name this server hosts.' })
  group?: string;

  @Field(() => String, { description: 'The API version this server hosts, e.g. v1.' })
  version?: string;

  @Field(() => Boolean, { description: 'Disables TLS certificate verification when talking to this server. Strongly discouraged; use caBundle.' })
  insecureSkipTLSVerify?: boolean;

  @Field(() => String, { format: 'byte', description: 'PEM encoded CA bundle used to validate the serving certificate of the API server.' })
  caBundle?: string;

  @Field(() => Number, { type: 'integer', format: 'int32', required: true, description: 'Priority of the group: groups with a higher minimum come first in discovery.' })
  groupPriorityMinimum!: number;

  @Field(() => Number, { type: 'integer', format: 'int32', required: true, description: 'Priority of this version within its group; higher comes first.' })
  versionPriority!: number;
}

export class APIServiceStatus {
  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'], patchMergeKey: 'type', patchStrategy: 'merge', description: 'Current service state of the APIService.' })
  conditions?: Condition[];
}

@Hub({ group: APIREGISTRATION_GROUP, kind: 'APIService' })
export class APIService extends KubeObject {
  @Field(() => APIServiceSpec, { description: 'Spec contains information for locating and communicating with a server.' })
  spec?: APIServiceSpec;

  @Field(() => APIServiceStatus, { description: 'Status contains derived information about an API server.' })
  status?: APIServiceStatus;
}

/** kube-aggregator's SERVICE column: `Local`, or the service as `<namespace>/<name>`. */
function serviceCell(apiService: APIService): string {
  const service = apiService.spec?.service;
  return service ? `${service.namespace ?? ''}/${service.name ?? ''}` : 'Local';
}

/** kube-aggregator's AVAILABLE column: `True`, `False (<reason>)`, or `Unknown` before the first check. */
function availableCell(apiService: APIService): string {
  const available = apiService.status?.conditions?.find((c) => c.type === AVAILABLE_CONDITION);
  if (!available) return 'Unknown';
  return available.status !== 'True' && available.reason ? `${available.status} (${available.reason})` : available.status;
}

@Resource({
  group: APIREGISTRATION_GROUP,
  version: 'v1',
  kind: 'APIService',
  plural: 'apiservices',
  scope: 'Cluster',
  categories: ['api-extensions'],
  description: 'APIService represents a server for a particular GroupVersion. Name must be "version.group".',
  subresources: { status: true },
  printerColumns: [
    { name: 'Service', type: 'string', description: 'The reference to the service that hosts this API endpoint.', cell: serviceCell },
    { name: 'Available', type: 'string', description: 'Whether this service is available.', cell: availableCell },
  ],
})
export class APIServiceV1 extends APIService {}
