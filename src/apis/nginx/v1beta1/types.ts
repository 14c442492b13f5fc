/**
 * nginx.example.com/v1beta1: an upstream server is one `address: host:port`
 * string (v1 splits it into address and port); everything else is shaped as in v1.
 */
import { Field, KubeObject, Resource, LabelSelectorSpec } from '../../../index';
import { ENDPOINT_COLUMNS, UPSTREAM_COLUMNS, VIRTUAL_SERVER_COLUMNS } from '../printer-columns';
import {
  Endpoint,
  GROUP,
  LoadBalancing,
  NGINX_TIME_PATTERN,
  UpstreamStatus,
  VirtualServer,
} from '../types';

export class UpstreamServerV1beta1 {
  @Field(() => String, { required: true, description: 'host:port, e.g. 10.0.0.7:8080, backend.example.com:80 or [2001:db8::1]:80.' })
  address!: string;

  @Field(() => Number, { type: 'integer', minimum: 1 })
  weight?: number;

  @Field(() => Number, { type: 'integer', minimum: 0 })
  maxFails?: number;

  @Field(() => String, { pattern: NGINX_TIME_PATTERN })
  failTimeout?: string;

  @Field(() => Boolean)
  backup?: boolean;

  @Field(() => Boolean)
  down?: boolean;
}

export class UpstreamSpecV1beta1 {
  @Field(() => UpstreamServerV1beta1, { array: true, patchMergeKey: 'address', patchStrategy: 'merge', listType: 'map', listMapKeys: ['address'] })
  servers?: UpstreamServerV1beta1[];

  @Field(() => LoadBalancing)
  loadBalancing?: LoadBalancing;

  @Field(() => Number, { type: 'integer', minimum: 0 })
  keepalive?: number;

  @Field(() => LabelSelectorSpec)
  endpointSelector?: LabelSelectorSpec;
}

@Resource({
  group: GROUP,
  version: 'v1beta1',
  kind: 'Upstream',
  plural: 'upstreams',
  scope: 'Namespaced',
  shortNames: ['ups'],
  categories: ['nginx'],
  subresources: { status: true },
  printerColumns: UPSTREAM_COLUMNS,
})
export class UpstreamV1beta1 extends KubeObject {
  @Field(() => UpstreamSpecV1beta1)
  spec?: UpstreamSpecV1beta1;

  @Field(() => UpstreamStatus)
  status?: UpstreamStatus;
}

@Resource({
  group: GROUP,
  version: 'v1beta1',
  kind: 'Endpoint',
  plural: 'endpoints',
  scope: 'Namespaced',
  categories: ['nginx'],
  subresources: { status: true },
  printerColumns: ENDPOINT_COLUMNS,
})
export class EndpointV1beta1 extends Endpoint {}

@Resource({
  group: GROUP,
  version: 'v1beta1',
  kind: 'VirtualServer',
  plural: 'virtualservers',
  scope: 'Namespaced',
  shortNames: ['vs'],
  categories: ['nginx'],
  subresources: { status: true },
  printerColumns: VIRTUAL_SERVER_COLUMNS,
})
export class VirtualServerV1beta1 extends VirtualServer {}
