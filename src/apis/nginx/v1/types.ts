/**
 * nginx.example.com/v1: the storage version, shaped exactly like the internal
 * types (so it converts by the default field copy).
 */
import { Resource } from '../../../index';
import { ENDPOINT_COLUMNS, UPSTREAM_COLUMNS, VIRTUAL_SERVER_COLUMNS } from '../printer-columns';
import { Endpoint, GROUP, Upstream, VirtualServer } from '../types';

@Resource({
  group: GROUP,
  version: 'v1',
  kind: 'Upstream',
  plural: 'upstreams',
  scope: 'Namespaced',
  shortNames: ['ups'],
  categories: ['nginx'],
  subresources: { status: true },
  printerColumns: UPSTREAM_COLUMNS,
  description: 'A group of servers nginx balances requests over: listed in spec.servers, and the Endpoints spec.endpointSelector selects.',
})
export class UpstreamV1 extends Upstream {}

@Resource({
  group: GROUP,
  version: 'v1',
  kind: 'Endpoint',
  plural: 'endpoints',
  scope: 'Namespaced',
  categories: ['nginx'],
  subresources: { status: true },
  printerColumns: ENDPOINT_COLUMNS,
  description: 'One machine or VM offering a service; Upstreams select Endpoints by their labels.',
})
export class EndpointV1 extends Endpoint {}

@Resource({
  group: GROUP,
  version: 'v1',
  kind: 'VirtualServer',
  plural: 'virtualservers',
  scope: 'Namespaced',
  shortNames: ['vs'],
  categories: ['nginx'],
  subresources: { status: true },
  printerColumns: VIRTUAL_SERVER_COLUMNS,
  description: 'An nginx server block: host names, a port, optional TLS, and locations that proxy to Upstreams, answer or redirect.',
})
export class VirtualServerV1 extends VirtualServer {}
