/**
 * The rules of nginx.example.com that a schema cannot say: addresses, unique
 * servers and locations, which fields go together. Types, enums, required fields
 * and ranges (ports 1-65535, weights >= 1) are declared on the types and checked
 * against their schema by the registry Store; these functions return the rest as field
 * errors at precise paths. None of them mutates its input.
 */
import { isIP } from 'node:net';
import { isDNS1123Subdomain, type FieldError, validateLabelSelectorSpec } from '../../index';
import type { EndpointSpec, Location, UpstreamServer, UpstreamSpec, VirtualServerSpec } from './types';

/** Methods whose server choice is fixed by the client, so nginx has no use for backup servers. */
const METHODS_WITHOUT_BACKUP = new Set(['hash', 'ip_hash']);

const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
const invalid = (field: string, value: unknown, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
const forbidden = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });
const duplicate = (field: string, value: unknown): FieldError => ({ type: 'FieldValueDuplicate', field, value });

/** An IP address (v4 or v6) or a lowercase host name. A missing address is the schema's to report. */
export function validateAddress(address: string | undefined, path: string): FieldError[] {
  if (address === undefined || isIP(address) !== 0 || isDNS1123Subdomain(address).length === 0) return [];
  return [invalid(path, address, 'must be an IP address or a host name (a lowercase RFC 1123 subdomain, e.g. backend.example.com)')];
}


function validateServer(server: UpstreamServer, method: string, path: string): FieldError[] {
  const errors = validateAddress(server.address, `${path}.address`);
  if (server.backup && METHODS_WITHOUT_BACKUP.has(method)) {
    errors.push(forbidden(`${path}.backup`, `not supported with load-balancing method ${method}`));
  }
  return errors;
}

export function validateUpstreamSpec(spec: UpstreamSpec | undefined, path = 'spec'): FieldError[] {
  if (!spec) return [required(path)];
  const errors: FieldError[] = [];
  const method = spec.loadBalancing?.method ?? 'round_robin';
  const servers = spec.servers ?? [];
  const seen = new Set<string>();
  servers.forEach((server, i) => {
    const at = `${path}.servers[${i}]`;
    errors.push(...validateServer(server, method, at));
    // Merge key address + port: the same server twice would be two nginx entries for one machine.
    const key = `${server.address}:${server.port}`;
    if (seen.has(key)) errors.push(duplicate(at, key));
    seen.add(key);
  });
  if (servers.length === 0 && !spec.endpointSelector) {
    errors.push(required(`${path}.servers`, 'list at least one server, or select Endpoints with endpointSelector'));
  }
  const lb = spec.loadBalancing;
  if (lb?.method === 'hash' && !lb.key) errors.push(required(`${path}.loadBalancing.key`, 'method hash needs a key, e.g. $request_uri'));
  if (lb && lb.method !== 'hash') {
    if (lb.key !== undefined) errors.push(forbidden(`${path}.loadBalancing.key`, 'only with method hash'));
    if (lb.consistent !== undefined) errors.push(forbidden(`${path}.loadBalancing.consistent`, 'only with method hash'));
  }
  if (spec.endpointSelector) errors.push(...validateLabelSelectorSpec(spec.endpointSelector, `${path}.endpointSelector`));
  return errors;
}

export function validateEndpointSpec(spec: EndpointSpec | undefined, path = 'spec'): FieldError[] {
  if (!spec) return [required(path)];
  return validateAddress(spec.address, `${path}.address`);
}

/** A host name, optionally with a leading wildcard label (`*.example.com`). */
function validateServerName(name: string, path: string): FieldError[] {
  const host = name.startsWith('*.') ? name.slice(2) : name;
  if (isDNS1123Subdomain(host).length === 0) return [];
  return [invalid(path, name, 'must be a lowercase host name, optionally starting with "*." (e.g. shop.example.com, *.example.com)')];
}

function validateLocation(location: Location, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const match = location.match ?? 'prefix';
  if (match !== 'regex' && location.path !== undefined && !location.path.startsWith('/')) {
    errors.push(invalid(`${path}.path`, location.path, `must start with "/" when match is ${match}`));
  }
  const actions = (['upstream', 'return', 'redirect'] as const).filter((a) => location[a] !== undefined);
  if (actions.length === 0) errors.push(required(path, 'one of upstream, return or redirect'));
  for (const extra of actions.slice(1)) errors.push(forbidden(`${path}.${extra}`, `may not be set together with ${actions[0]}`));
  if (location.upstream !== undefined) {
    errors.push(...isDNS1123Subdomain(location.upstream).map((msg) => invalid(`${path}.upstream`, location.upstream, msg)));
  } else {
    if (location.proxyHeaders !== undefined) errors.push(forbidden(`${path}.proxyHeaders`, 'only with upstream'));
    if (location.timeouts !== undefined) errors.push(forbidden(`${path}.timeouts`, 'only with upstream'));
  }
  const headers = new Set<string>();
  (location.proxyHeaders ?? []).forEach((header, i) => {
    const name = (header.name ?? '').toLowerCase();
    if (headers.has(name)) errors.push(duplicate(`${path}.proxyHeaders[${i}].name`, header.name));
    headers.add(name);
  });
  return errors;
}

export function validateVirtualServerSpec(spec: VirtualServerSpec | undefined, path = 'spec'): FieldError[] {
  if (!spec) return [required(path)];
  const errors: FieldError[] = [];
  const names = new Set<string>();
  (spec.serverNames ?? []).forEach((name, i) => {
    errors.push(...validateServerName(name, `${path}.serverNames[${i}]`));
    if (names.has(name)) errors.push(duplicate(`${path}.serverNames[${i}]`, name));
    names.add(name);
  });
  if (spec.tls) {
    for (const field of ['certificate', 'key'] as const) {
      const file = spec.tls[field];
      if (file !== undefined && !file.startsWith('/')) errors.push(invalid(`${path}.tls.${field}`, file, 'must be an absolute path on the nginx host'));
    }
  }
  const locations = spec.locations ?? [];
  if (locations.length === 0) errors.push(required(`${path}.locations`, 'at least one location'));
  const paths = new Set<string>();
  locations.forEach((location, i) => {
    const at = `${path}.locations[${i}]`;
    errors.push(...validateLocation(location, at));
    if (paths.has(location.path)) errors.push(duplicate(`${at}.path`, location.path));
    paths.add(location.path);
  });
  return errors;
}
