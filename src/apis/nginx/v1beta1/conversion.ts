/**
 * v1beta1 ↔ internal: an upstream server's `host:port` string against separate
 * address and port. Every other field converts by the default field copy.
 * IPv6 addresses are bracketed in the joined form, as in URLs and nginx.
 */
import type { Scheme } from '../../../index';
import { UpstreamServer } from '../types';
import { UpstreamServerV1beta1 } from './types';

/** `host:port` → host and port; a string without a valid port keeps its whole text as the host (validation reports the missing port). */
export function splitHostPort(hostPort: string): { address: string; port?: number } {
  const match = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(hostPort);
  if (!match) return { address: hostPort };
  return { address: match[1] ?? match[2], port: Number(match[3]) };
}

export function joinHostPort(address: string, port: number | undefined): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return port === undefined ? host : `${host}:${port}`;
}

/** Runs after the default copy, which has put the whole `host:port` into address. */
export function upstreamServerToInternal(src: UpstreamServerV1beta1, dst: UpstreamServer): void {
  const { address, port } = splitHostPort(src.address);
  dst.address = address;
  dst.port = port as number;
}

export function upstreamServerFromInternal(src: UpstreamServer, dst: UpstreamServerV1beta1): void {
  dst.address = joinHostPort(src.address, src.port);
}

export function addConversions(scheme: Scheme): void {
  scheme.addConversion(UpstreamServerV1beta1, UpstreamServer, upstreamServerToInternal);
  scheme.addConversion(UpstreamServer, UpstreamServerV1beta1, upstreamServerFromInternal);
}
