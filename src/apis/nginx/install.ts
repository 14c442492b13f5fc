/**
 * Adds nginx.example.com to a Scheme: the internal types, v1 (preferred and
 * stored) and v1beta1, their defaults and conversions. Call once per Scheme.
 */
import type { Scheme } from '../../index';
import { Endpoint, GROUP, Upstream, VirtualServer } from './types';
import { addDefaults as addV1Defaults } from './v1/defaults';
import { EndpointV1, UpstreamV1, VirtualServerV1 } from './v1/types';
import { addConversions as addV1beta1Conversions } from './v1beta1/conversion';
import { addDefaults as addV1beta1Defaults } from './v1beta1/defaults';
import { EndpointV1beta1, UpstreamV1beta1, VirtualServerV1beta1 } from './v1beta1/types';

export function install(scheme: Scheme): Scheme {
  scheme.addKnownTypes(Upstream, Endpoint, VirtualServer, UpstreamV1, EndpointV1, VirtualServerV1, UpstreamV1beta1, EndpointV1beta1, VirtualServerV1beta1);
  scheme.setVersionPriority(GROUP, ['v1', 'v1beta1']);
  addV1Defaults(scheme);
  addV1beta1Defaults(scheme);
  addV1beta1Conversions(scheme);
  return scheme;
}
