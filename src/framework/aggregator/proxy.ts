/**
 * Forwards one request to a backend and streams the answer back (watches
 * included): the user's identity travels in front-proxy headers, the client's
 * credentials and identity headers stay behind. The backend request ends when
 * the client goes away or the server shuts down.
 */
import https from 'node:https';
import type Koa from 'koa';
import { newServiceUnavailable } from '../api/status';
import type { ApiState } from '../endpoints/scope';
import { ANONYMOUS_USER } from '../auth/authenticator';
import type { Backend } from './backend';
import { isHopByHopHeader, proxiedRequestHeaders } from './front-proxy-headers';

export async function proxyToBackend(ctx: Koa.ParameterizedContext<ApiState>, backend: Backend, shutdown: AbortSignal): Promise<void> {
  const target = new URL(ctx.url, backend.baseURL);
  const upstream = https.request(target, {
    method: ctx.method,
    agent: backend.agent,
    headers: proxiedRequestHeaders(ctx.req.headers, ctx.state.user ?? ANONYMOUS_USER, target.host),
    signal: shutdown,
  });
  const response = await new Promise<import('node:http').IncomingMessage>((resolve, reject) => {
    upstream.once('response', resolve);
    upstream.once('error', reject);
    ctx.req.pipe(upstream);
  }).catch((err: Error) => {
    throw newServiceUnavailable(`error trying to reach service: ${err.message}`);
  });
  // A client that leaves (an ended watch) ends the backend request too.
  ctx.res.once('close', () => upstream.destroy());
  ctx.status = response.statusCode ?? 502;
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !isHopByHopHeader(name) && name !== 'content-length') ctx.set(name, value);
  }
  if (response.headers['content-length'] !== undefined) ctx.length = Number(response.headers['content-length']);
  // An error after the headers were sent can only cut the stream short.
  response.on('error', () => ctx.res.destroy());
  ctx.body = response;
}
