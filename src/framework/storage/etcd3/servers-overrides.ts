import type { GroupResource } from '../../api/status';

/** One entry of --etcd-servers-overrides: a resource kept on its own etcd cluster. */
export interface EtcdServersOverride extends GroupResource {
  servers: string[];
}

/**
 * Parses kube-apiserver's --etcd-servers-overrides: comma-separated entries
 * `group/resource#servers`, servers separated by ";", the core group written
 * empty (`/events#http://etcd-events:2379`). Accepts the flag's values as given,
 * one string or several (a repeated flag).
 */
export function parseEtcdServersOverrides(values: string | string[]): EtcdServersOverride[] {
  const entries = (Array.isArray(values) ? values : [values]).flatMap((value) => value.split(',')).filter((entry) => entry.trim() !== '');
  return entries.map((entry) => {
    const invalid = (why: string) => new Error(`invalid --etcd-servers-overrides entry ${JSON.stringify(entry)}: ${why}`);
    const parts = entry.trim().split('#');
    if (parts.length !== 2) throw invalid('expected group/resource#servers');
    const groupResource = parts[0].split('/');
    if (groupResource.length !== 2 || groupResource[1] === '') throw invalid('expected group/resource before "#" (core group: /resource)');
    const servers = parts[1].split(';').filter((server) => server !== '');
    if (servers.length === 0) throw invalid('no servers after "#"');
    return { group: groupResource[0], resource: groupResource[1], servers };
  });
}

/** The servers of a resource: its override if there is one, else the default servers. */
export function serversForResource(resource: GroupResource, defaultServers: string[], overrides: EtcdServersOverride[]): string[] {
  const override = overrides.find((o) => o.group === resource.group && o.resource === resource.resource);
  return override ? override.servers : defaultServers;
}
