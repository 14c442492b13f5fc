/** An Upstream as an nginx `upstream` block. */
import type { LoadBalancing, ResolvedServer } from '../../apis/nginx/types';
import { indent, quote } from './nginx-syntax';

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function serverLine(server: ResolvedServer): string {
  const parts = [`server ${quote(hostPort(server.address, server.port))}`];
  if (server.weight !== undefined && server.weight !== 1) parts.push(`weight=${server.weight}`);
  if (server.maxFails !== undefined) parts.push(`max_fails=${server.maxFails}`);
  if (server.failTimeout !== undefined) parts.push(`fail_timeout=${server.failTimeout}`);
  if (server.backup) parts.push('backup');
  if (server.down) parts.push('down');
  return `${parts.join(' ')};`;
}

function methodLines(lb: LoadBalancing | undefined): string[] {
  switch (lb?.method ?? 'round_robin') {
    case 'round_robin':
      return [];
    case 'least_conn':
      return ['least_conn;'];
    case 'ip_hash':
      return ['ip_hash;'];
    case 'hash':
      return [`hash ${quote(lb?.key ?? '')}${lb?.consistent ? ' consistent' : ''};`];
  }
}

export interface UpstreamBlock {
  /** The block's name, which proxy_pass refers to. */
  name: string;
  /** At least one. */
  servers: ResolvedServer[];
  loadBalancing?: LoadBalancing;
  keepalive?: number;
}

export function renderUpstream(block: UpstreamBlock, source: string): string {
  const body = [...methodLines(block.loadBalancing), ...block.servers.map(serverLine)];
  if (block.keepalive) body.push(`keepalive ${block.keepalive};`);
  return [`# ${source}; written by the nginx.example.com controller`, `upstream ${block.name} {`, ...indent(body), '}', ''].join('\n');
}
