/**
 * The headers by which the aggregator tells a backend who the user is (the
 * request-header protocol), and the incoming headers it must never pass on: a
 * client's own X-Remote-* or Impersonate-* headers, or its credentials.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import type { UserInfo } from '../registry/context';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'host']);

/** The headers the proxy names the user in; the core cluster publishes them for the servers behind it. */
export const FRONT_PROXY_HEADERS = { user: 'X-Remote-User', uid: 'X-Remote-Uid', group: 'X-Remote-Group', extraPrefix: 'X-Remote-Extra-' } as const;

/** True for headers the proxy drops from the client's request. */
export function isStrippedRequestHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return HOP_BY_HOP.has(lower) || lower === 'authorization' || lower.startsWith('x-remote-') || lower.startsWith('impersonate-');
}

/** True for headers the proxy drops from the backend's response. */
export function isHopByHopHeader(name: string): boolean {
  return HOP_BY_HOP.has(name.toLowerCase());
}

/**
 * X-Remote-User, X-Remote-Uid, X-Remote-Group (one line per group) and
 * X-Remote-Extra-<key> (key percent-encoded, as kube-aggregator writes it) for `user`.
 */
export function frontProxyHeaders(user: UserInfo): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = { [FRONT_PROXY_HEADERS.user]: user.username };
  if (user.uid) headers[FRONT_PROXY_HEADERS.uid] = user.uid;
  if (user.groups.length > 0) headers[FRONT_PROXY_HEADERS.group] = [...user.groups];
  for (const [key, values] of Object.entries(user.extra ?? {})) {
    headers[`${FRONT_PROXY_HEADERS.extraPrefix}${encodeURIComponent(key)}`] = [...values];
  }
  return headers;
}

/** The client's request headers that go to the backend, with the user's identity added. */
export function proxiedRequestHeaders(incoming: NodeJS.Dict<string | string[]>, user: UserInfo, host: string): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !isStrippedRequestHeader(name)) out[name] = value;
  }
  return { ...out, ...frontProxyHeaders(user), host };
}
