/** Turns an APIService's service reference into the address the aggregator dials. */

export interface ServiceReferenceKey {
  namespace: string;
  name: string;
  port: number;
}

export interface ServiceResolver {
  /** The service's base URL, or undefined when the service is not known. */
  resolve(ref: ServiceReferenceKey): URL | undefined;
}

/**
 * Dials services at fixed addresses, `<namespace>/<name>` → `host:port` (a core
 * cluster without Service objects, and tests). Services not listed are dialled
 * by their cluster DNS name, `<name>.<namespace>.svc:<port>`, when `clusterDNS` is set.
 */
export function staticServiceResolver(endpoints: Record<string, string>, options: { clusterDNS?: boolean } = {}): ServiceResolver {
  return {
    resolve(ref) {
      const endpoint = endpoints[`${ref.namespace}/${ref.name}`];
      if (endpoint !== undefined) return new URL(`https://${endpoint}`);
      return options.clusterDNS ? new URL(`https://${ref.name}.${ref.namespace}.svc:${ref.port}`) : undefined;
    },
  };
}

/** Parses `<namespace>/<name>=<host>:<port>` entries (as given on a command line). */
export function parseServiceEndpoints(entries: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const match = /^([^/=]+)\/([^/=]+)=(.+:\d+)$/.exec(entry);
    if (!match) throw new Error(`service endpoint "${entry}" is not <namespace>/<name>=<host>:<port>`);
    out[`${match[1]}/${match[2]}`] = match[3];
  }
  return out;
}

/** Takes every `--service-endpoint <namespace>/<name>=<host>:<port>` out of argv; the rest is left for the server's flags. */
export function takeServiceEndpointFlags(argv: readonly string[]): { endpoints: Record<string, string>; rest: string[] } {
  const entries: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--service-endpoint') {
      const value = argv[++i];
      if (value === undefined) throw new Error('flag --service-endpoint needs a value');
      entries.push(value);
    } else if (argv[i].startsWith('--service-endpoint=')) {
      entries.push(argv[i].slice('--service-endpoint='.length));
    } else {
      rest.push(argv[i]);
    }
  }
  return { endpoints: parseServiceEndpoints(entries), rest };
}
