/**
 * Defaults of v1, applied when objects are decoded or read back, so that stored
 * objects and what clients see spell them out: round-robin balancing, weight 1,
 * port 80, prefix matching and 302 redirects. The functions are structural so
 * that v1beta1 applies the same defaults to its own classes.
 */
import type { Scheme } from '../../../index';
import { EndpointSpec, LoadBalancing, Location, RedirectAction, UpstreamServer, UpstreamSpec, VirtualServerSpec } from '../types';

export function defaultUpstreamSpec(spec: { loadBalancing?: LoadBalancing }): void {
  spec.loadBalancing ??= Object.assign(new LoadBalancing(), { method: 'round_robin' as const });
}

export function defaultServerWeight(server: { weight?: number }): void {
  server.weight ??= 1;
}

export function defaultVirtualServerSpec(spec: VirtualServerSpec): void {
  spec.port ??= 80;
}

export function defaultLocation(location: Location): void {
  location.match ??= 'prefix';
}

export function defaultRedirectAction(redirect: RedirectAction): void {
  redirect.code ??= 302;
}

export function addDefaults(scheme: Scheme): void {
  scheme.addDefaulter(UpstreamSpec, defaultUpstreamSpec);
  scheme.addDefaulter(UpstreamServer, defaultServerWeight);
  scheme.addDefaulter(EndpointSpec, defaultServerWeight);
  scheme.addDefaulter(VirtualServerSpec, defaultVirtualServerSpec);
  scheme.addDefaulter(Location, defaultLocation);
  scheme.addDefaulter(RedirectAction, defaultRedirectAction);
}
