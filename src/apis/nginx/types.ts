/**
 * The internal (hub) types of nginx.example.com: what the registry validates and
 * what every version converts through. v1 has the same shape; v1beta1 differs in
 * how an upstream server's address is written.
 */
import { Condition, Field, Hub, KubeObject, LabelSelectorSpec } from '../../index';

export const GROUP = 'nginx.example.com';

/** nginx time values: `10`, `500ms`, `30s`, `1m30s`, `2h`. */
export const NGINX_TIME_PATTERN = '^([0-9]+(ms|s|m|h|d))+$|^[0-9]+$';

export const LOAD_BALANCING_METHODS = ['round_robin', 'least_conn', 'ip_hash', 'hash'] as const;
export type LoadBalancingMethod = (typeof LOAD_BALANCING_METHODS)[number];

export const LOCATION_MATCHES = ['prefix', 'exact', 'regex'] as const;
export type LocationMatch = (typeof LOCATION_MATCHES)[number];

/** The condition types every status of this group carries. */
export const CONDITION_ACCEPTED = 'Accepted';
export const CONDITION_PROGRAMMED = 'Programmed';

// ---- Upstream ----

export class UpstreamServer {
  @Field(() => String, { required: true, description: 'IP address or host name of the server.' })
  address!: string;

  @Field(() => Number, { type: 'integer', required: true, minimum: 1, maximum: 65535 })
  port!: number;

  @Field(() => Number, { type: 'integer', minimum: 1, description: 'Relative share of requests (default 1).' })
  weight?: number;

  @Field(() => Number, { type: 'integer', minimum: 0, description: 'Failed attempts within failTimeout that mark the server unavailable.' })
  maxFails?: number;

  @Field(() => String, { pattern: NGINX_TIME_PATTERN, description: 'Window for maxFails and how long the server then stays unavailable, e.g. 10s.' })
  failTimeout?: string;

  @Field(() => Boolean, { description: 'Receives requests only when the other servers are unavailable.' })
  backup?: boolean;

  @Field(() => Boolean, { description: 'Marked permanently unavailable.' })
  down?: boolean;
}

export class LoadBalancing {
  @Field(() => String, { required: true, enum: LOAD_BALANCING_METHODS, description: 'round_robin (default), least_conn, ip_hash or hash.' })
  method!: LoadBalancingMethod;

  @Field(() => String, { description: 'The hash key for method hash, e.g. $request_uri.' })
  key?: string;

  @Field(() => Boolean, { description: 'Ketama consistent hashing (method hash only).' })
  consistent?: boolean;
}

export class UpstreamSpec {
  @Field(() => UpstreamServer, {
    array: true,
    patchMergeKey: 'address',
    patchStrategy: 'merge',
    listType: 'map',
    listMapKeys: ['address', 'port'],
    description: 'Servers listed here; each address and port at most once.',
  })
  servers?: UpstreamServer[];

  @Field(() => LoadBalancing)
  loadBalancing?: LoadBalancing;

  @Field(() => Number, { type: 'integer', minimum: 0, description: 'Idle keep-alive connections to the servers each worker keeps.' })
  keepalive?: number;

  @Field(() => LabelSelectorSpec, { description: 'Also use the Endpoints in this namespace whose labels match.' })
  endpointSelector?: LabelSelectorSpec;
}

/** One server nginx is given, from spec.servers or from a selected Endpoint. */
export class ResolvedServer extends UpstreamServer {
  @Field(() => String, { description: 'The Endpoint this server comes from; empty for spec.servers.' })
  endpoint?: string;
}

export class UpstreamStatus {
  @Field(() => Number, { type: 'integer', format: 'int64', description: 'The generation the controller last acted on.' })
  observedGeneration?: number;

  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'], patchMergeKey: 'type', patchStrategy: 'merge' })
  conditions?: Condition[];

  @Field(() => ResolvedServer, { array: true, description: 'The servers nginx is given.' })
  servers?: ResolvedServer[];

  @Field(() => Number, { type: 'integer', description: 'How many servers nginx is given.' })
  serverCount?: number;
}

@Hub({ group: GROUP, kind: 'Upstream' })
export class Upstream extends KubeObject {
  @Field(() => UpstreamSpec)
  spec?: UpstreamSpec;

  @Field(() => UpstreamStatus)
  status?: UpstreamStatus;
}

// ---- Endpoint ----

export class EndpointSpec {
  @Field(() => String, { required: true, description: 'IP address or host name of the machine or VM.' })
  address!: string;

  @Field(() => Number, { type: 'integer', required: true, minimum: 1, maximum: 65535 })
  port!: number;

  @Field(() => Number, { type: 'integer', minimum: 1, description: 'Relative share of requests in the upstreams that select it (default 1).' })
  weight?: number;

  @Field(() => String, { maxLength: 63, description: 'Where the machine runs (a data centre, rack or availability zone).' })
  zone?: string;
}

export class EndpointStatus {
  @Field(() => Number, { type: 'integer', format: 'int64' })
  observedGeneration?: number;

  @Field(() => String, { array: true, listType: 'set', description: 'The Upstreams whose endpointSelector selects this Endpoint.' })
  upstreams?: string[];
}

@Hub({ group: GROUP, kind: 'Endpoint' })
export class Endpoint extends KubeObject {
  @Field(() => EndpointSpec)
  spec?: EndpointSpec;

  @Field(() => EndpointStatus)
  status?: EndpointStatus;
}

// ---- VirtualServer ----

export class TLSFiles {
  @Field(() => String, { required: true, description: 'Absolute path of the PEM certificate (chain) on the nginx host.' })
  certificate!: string;

  @Field(() => String, { required: true, description: 'Absolute path of the PEM private key on the nginx host.' })
  key!: string;
}

export class ProxyHeader {
  @Field(() => String, { required: true, pattern: '^[A-Za-z0-9-]+$' })
  name!: string;

  @Field(() => String, { required: true, description: 'May use nginx variables such as $host.' })
  value!: string;
}

export class ProxyTimeouts {
  @Field(() => String, { pattern: NGINX_TIME_PATTERN })
  connect?: string;

  @Field(() => String, { pattern: NGINX_TIME_PATTERN })
  read?: string;

  @Field(() => String, { pattern: NGINX_TIME_PATTERN })
  send?: string;
}

export class Rewrite {
  @Field(() => String, { required: true, minLength: 1, description: 'A PCRE regular expression matched against the URI.' })
  pattern!: string;

  @Field(() => String, { required: true, description: 'The new URI; may use $1… captures.' })
  replacement!: string;

  @Field(() => String, { enum: ['last', 'break', 'redirect', 'permanent'] })
  flag?: 'last' | 'break' | 'redirect' | 'permanent';
}

export class ReturnAction {
  @Field(() => Number, { type: 'integer', required: true, minimum: 100, maximum: 599 })
  code!: number;

  @Field(() => String, { description: 'The response body.' })
  body?: string;
}

export class RedirectAction {
  @Field(() => String, { required: true, minLength: 1, description: 'Where to; may use nginx variables such as $request_uri.' })
  url!: string;

  @Field(() => Number, { type: 'integer', enum: [301, 302, 303, 307, 308], description: 'Default 302.' })
  code?: number;
}

export class Location {
  @Field(() => String, { required: true, minLength: 1, description: 'A URI prefix, an exact URI, or a PCRE regular expression.' })
  path!: string;

  @Field(() => String, { enum: LOCATION_MATCHES, description: 'How path matches: prefix (default), exact or regex.' })
  match?: LocationMatch;

  @Field(() => String, { description: 'The Upstream in this namespace requests are proxied to.' })
  upstream?: string;

  @Field(() => ProxyHeader, { array: true, patchMergeKey: 'name', patchStrategy: 'merge', listType: 'map', listMapKeys: ['name'] })
  proxyHeaders?: ProxyHeader[];

  @Field(() => ProxyTimeouts)
  timeouts?: ProxyTimeouts;

  @Field(() => Rewrite, { array: true, listType: 'atomic' })
  rewrites?: Rewrite[];

  @Field(() => ReturnAction, { description: 'Answer directly instead of proxying.' })
  return?: ReturnAction;

  @Field(() => RedirectAction, { description: 'Redirect instead of proxying.' })
  redirect?: RedirectAction;
}

export class VirtualServerSpec {
  @Field(() => String, { array: true, listType: 'set', description: 'Host names, e.g. shop.example.com or *.example.com; empty: any.' })
  serverNames?: string[];

  @Field(() => Number, { type: 'integer', minimum: 1, maximum: 65535, description: 'The port nginx listens on (default 80).' })
  port?: number;

  @Field(() => TLSFiles, { description: 'Serve HTTPS with this certificate and key.' })
  tls?: TLSFiles;

  @Field(() => Location, { array: true, patchMergeKey: 'path', patchStrategy: 'merge', listType: 'map', listMapKeys: ['path'] })
  locations?: Location[];
}

export class VirtualServerStatus {
  @Field(() => Number, { type: 'integer', format: 'int64' })
  observedGeneration?: number;

  @Field(() => Condition, { array: true, listType: 'map', listMapKeys: ['type'], patchMergeKey: 'type', patchStrategy: 'merge' })
  conditions?: Condition[];
}

@Hub({ group: GROUP, kind: 'VirtualServer' })
export class VirtualServer extends KubeObject {
  @Field(() => VirtualServerSpec)
  spec?: VirtualServerSpec;

  @Field(() => VirtualServerStatus)
  status?: VirtualServerStatus;
}
