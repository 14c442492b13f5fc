/**
 * A VirtualServer as an nginx `server` block. A location whose Upstream nginx
 * does not have answers 502, so the rest of the server keeps working; the caller
 * learns which references were unresolved.
 */
import type { Location, VirtualServer } from '../../apis/nginx/types';
import { indent, quote } from './nginx-syntax';

/** Sent to every upstream unless a location sets a header of the same name. */
const DEFAULT_PROXY_HEADERS: [string, string][] = [
  ['Host', '$host'],
  ['X-Real-IP', '$remote_addr'],
  ['X-Forwarded-For', '$proxy_add_x_forwarded_for'],
  ['X-Forwarded-Proto', '$scheme'],
  // An empty Connection header lets nginx keep upstream connections alive (keepalive).
  ['Connection', ''],
];

export interface VirtualServerRenderContext {
  /** The address `listen` binds, e.g. 127.0.0.1; default: every address. */
  listenAddress?: string;
  /** The upstream block for an Upstream name in the VirtualServer's namespace, when nginx has one. */
  upstreamBlock(name: string): string | undefined;
}

export interface RenderedVirtualServer {
  text: string;
  /** Upstream names the locations refer to that nginx has no block for. */
  unresolved: string[];
}

function locationHead(location: Location): string {
  switch (location.match ?? 'prefix') {
    case 'prefix':
      return `location ${quote(location.path)}`;
    case 'exact':
      return `location = ${quote(location.path)}`;
    case 'regex':
      return `location ~ ${quote(location.path)}`;
  }
}

function proxyLines(location: Location, block: string): string[] {
  const headers = new Map(DEFAULT_PROXY_HEADERS.map(([name, value]) => [name.toLowerCase(), [name, value]]));
  for (const h of location.proxyHeaders ?? []) headers.set(h.name.toLowerCase(), [h.name, h.value]);
  const lines = ['proxy_http_version 1.1;', ...[...headers.values()].map(([name, value]) => `proxy_set_header ${quote(name)} ${quote(value)};`)];
  const t = location.timeouts;
  if (t?.connect) lines.push(`proxy_connect_timeout ${t.connect};`);
  if (t?.read) lines.push(`proxy_read_timeout ${t.read};`);
  if (t?.send) lines.push(`proxy_send_timeout ${t.send};`);
  lines.push(`proxy_pass ${quote(`http://${block}`)};`);
  return lines;
}

function locationBlock(location: Location, ctx: VirtualServerRenderContext, unresolved: string[]): string[] {
  const body = (location.rewrites ?? []).map((r) => `rewrite ${quote(r.pattern)} ${quote(r.replacement)}${r.flag ? ` ${r.flag}` : ''};`);
  if (location.upstream !== undefined) {
    const block = ctx.upstreamBlock(location.upstream);
    if (block) body.push(...proxyLines(location, block));
    else {
      unresolved.push(location.upstream);
      body.push('return 502;');
    }
  } else if (location.return) {
    body.push(`return ${location.return.code}${location.return.body !== undefined ? ` ${quote(location.return.body)}` : ''};`);
  } else if (location.redirect) {
    body.push(`return ${location.redirect.code ?? 302} ${quote(location.redirect.url)};`);
  }
  return [`${locationHead(location)} {`, ...indent(body), '}'];
}

export function renderVirtualServer(vs: VirtualServer, ctx: VirtualServerRenderContext, source: string): RenderedVirtualServer {
  const spec = vs.spec ?? {};
  const names = spec.serverNames ?? [];
  const address = ctx.listenAddress ? `${ctx.listenAddress.includes(':') ? `[${ctx.listenAddress}]` : ctx.listenAddress}:` : '';
  // Without host names the server is the catch-all of its port.
  const listenFlags = [spec.tls ? ' ssl' : '', names.length === 0 ? ' default_server' : ''].join('');
  const body = [`listen ${address}${spec.port ?? 80}${listenFlags};`, `server_name ${names.length > 0 ? names.map(quote).join(' ') : '_'};`];
  if (spec.tls) body.push(`ssl_certificate ${quote(spec.tls.certificate)};`, `ssl_certificate_key ${quote(spec.tls.key)};`);
  const unresolved: string[] = [];
  for (const location of spec.locations ?? []) body.push('', ...locationBlock(location, ctx, unresolved));
  const text = [`# ${source}; written by the nginx.example.com controller`, 'server {', ...indent(body), '}', ''].join('\n');
  return { text, unresolved: [...new Set(unresolved)] };
}
