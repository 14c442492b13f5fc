/**
 * Which servers an Upstream gives nginx: its spec.servers, then the Endpoints of
 * its namespace that its endpointSelector selects (by name). An Endpoint whose
 * address and port a listed server already has adds nothing.
 */
import { labelSelectorFromObject, type LabelSelectorObject } from '../../index';
import type { Endpoint, ResolvedServer, Upstream } from '../../apis/nginx/types';

/** Whether the Upstream's endpointSelector selects the Endpoint (same namespace only). */
export function selectsEndpoint(upstream: Upstream, endpoint: Endpoint): boolean {
  const selector = upstream.spec?.endpointSelector;
  if (!selector || upstream.metadata.namespace !== endpoint.metadata.namespace) return false;
  return labelSelectorFromObject(selector as LabelSelectorObject).matches(endpoint.metadata.labels);
}

export function resolveServers(upstream: Upstream, endpoints: Endpoint[]): ResolvedServer[] {
  const servers: ResolvedServer[] = (upstream.spec?.servers ?? []).map((s) => ({ ...s }));
  const taken = new Set(servers.map((s) => `${s.address}:${s.port}`));
  const selected = endpoints
    .filter((e) => e.spec && selectsEndpoint(upstream, e))
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  for (const endpoint of selected) {
    const { address, port, weight } = endpoint.spec as NonNullable<Endpoint['spec']>;
    if (taken.has(`${address}:${port}`)) continue;
    taken.add(`${address}:${port}`);
    servers.push({ address, port, weight: weight ?? 1, endpoint: endpoint.metadata.name });
  }
  return servers;
}
