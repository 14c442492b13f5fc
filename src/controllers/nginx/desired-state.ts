/**
 * What nginx should run, computed from the objects alone: each Upstream's
 * resolved servers and file, which VirtualServers are accepted (the first to
 * claim a host name on a port keeps it; later claimants conflict), and which
 * Upstreams select each Endpoint.
 */
import type { Endpoint, ResolvedServer, Upstream, VirtualServer } from '../../apis/nginx/types';
import type { DesiredConfig } from './config-programmer';
import { objectKey, upstreamBlockName, upstreamFileName, virtualServerFileName } from './names';
import { renderUpstream } from './render-upstream';
import { renderVirtualServer } from './render-virtual-server';
import { resolveServers, selectsEndpoint } from './resolve-servers';

export interface World {
  upstreams: Upstream[];
  endpoints: Endpoint[];
  virtualServers: VirtualServer[];
}

export interface UpstreamPlan {
  upstream: Upstream;
  servers: ResolvedServer[];
  file: string;
  /** null when there is no server to give nginx. */
  content: string | null;
}

export interface VirtualServerPlan {
  virtualServer: VirtualServer;
  file: string;
  /** Why another VirtualServer keeps this one out, if one does. */
  conflict?: string;
}

export interface DesiredState {
  upstreams: Map<string, UpstreamPlan>;
  virtualServers: Map<string, VirtualServerPlan>;
  /** Endpoint key → names of the Upstreams that select it, sorted. */
  endpointUpstreams: Map<string, string[]>;
  config: DesiredConfig;
}

export interface DesiredStateOptions {
  /** The address the rendered `listen` directives bind; default every address. */
  listenAddress?: string;
}

function byAge(a: VirtualServer, b: VirtualServer): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  return ta !== tb ? (ta < tb ? -1 : 1) : objectKey(a).localeCompare(objectKey(b));
}

/** The oldest VirtualServer claiming a host on a port keeps it; `_` stands for "no host names" (the port's catch-all). */
function findConflicts(virtualServers: VirtualServer[]): Map<string, string> {
  const owners = new Map<string, VirtualServer>();
  const conflicts = new Map<string, string>();
  for (const vs of [...virtualServers].sort(byAge)) {
    const port = vs.spec?.port ?? 80;
    const hosts = vs.spec?.serverNames?.length ? vs.spec.serverNames : ['_'];
    const taken = hosts.map((host) => ({ host, owner: owners.get(`${host}:${port}`) })).find((c) => c.owner);
    if (taken?.owner) {
      const what = taken.host === '_' ? 'the catch-all server (no serverNames)' : `host ${taken.host}`;
      conflicts.set(objectKey(vs), `${what} on port ${port} is already served by VirtualServer ${objectKey(taken.owner)}`);
      continue;
    }
    for (const host of hosts) owners.set(`${host}:${port}`, vs);
  }
  return conflicts;
}

function planUpstream(upstream: Upstream, endpoints: Endpoint[]): UpstreamPlan {
  const { namespace = '', name = '' } = upstream.metadata;
  const servers = resolveServers(upstream, endpoints);
  const block = { name: upstreamBlockName(namespace, name), servers, loadBalancing: upstream.spec?.loadBalancing, keepalive: upstream.spec?.keepalive };
  return {
    upstream,
    servers,
    file: upstreamFileName(namespace, name),
    content: servers.length > 0 ? renderUpstream(block, `Upstream ${namespace}/${name}`) : null,
  };
}

export function desiredState(world: World, options: DesiredStateOptions = {}): DesiredState {
  const upstreams = new Map(world.upstreams.map((u) => [objectKey(u), planUpstream(u, world.endpoints)]));
  const conflicts = findConflicts(world.virtualServers);
  const virtualServers = new Map(
    world.virtualServers.map((vs) => {
      const { namespace = '', name = '' } = vs.metadata;
      return [objectKey(vs), { virtualServer: vs, file: virtualServerFileName(namespace, name), conflict: conflicts.get(objectKey(vs)) }];
    }),
  );
  const endpointUpstreams = new Map(
    world.endpoints.map((e) => [
      objectKey(e),
      world.upstreams
        .filter((u) => selectsEndpoint(u, e))
        .map((u) => u.metadata.name ?? '')
        .sort(),
    ]),
  );
  const config: DesiredConfig = {
    upstreams: [...upstreams.entries()].map(([key, plan]) => ({ key, file: plan.file, content: plan.content })),
    renderVirtualServers: (available) => {
      const files = new Map<string, string>();
      for (const plan of virtualServers.values()) {
        if (plan.conflict) continue;
        const vs = plan.virtualServer;
        const namespace = vs.metadata.namespace ?? '';
        const upstreamBlock = (name: string) => (available.has(`${namespace}/${name}`) ? upstreamBlockName(namespace, name) : undefined);
        const rendered = renderVirtualServer(vs, { listenAddress: options.listenAddress, upstreamBlock }, `VirtualServer ${objectKey(vs)}`);
        files.set(plan.file, rendered.text);
      }
      return files;
    },
  };
  return { upstreams, virtualServers, endpointUpstreams, config };
}
