/**
 * Forwards one request to a backend and streams the answer back (watches
 * included), or for an upgrade request (exec, attach, port-forward) joins the two
 * connections once the backend switches protocols. The user's identity travels in
 * front-proxy headers; the client's credentials and identity headers stay behind.
 * The backend request ends when the client goes away or the server shuts down.
 */
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { newServiceUnavailable } from '../api/status';
import type { ApiState } from '../endpoints/scope';
import { ANONYMOUS_USER } from '../auth/authenticator';
import { upgradeOf } from '../server/upgrade';
import type { Backend } from './backend';
import { isHopByHopHeader, proxiedRequestHeaders } from './front-proxy-headers';

type Answer = { response: IncomingMessage; upgraded?: { socket: Duplex; head: Buffer } };

export async function proxyToBackend(ctx: Koa.ParameterizedContext<ApiState>, backend: Backend, shutdown: AbortSignal): Promise<void> {
  const target = new URL(ctx.url, backend.baseURL);
  const upgrade = upgradeOf(ctx.req);
  const headers = proxiedRequestHeaders(ctx.req.headers, ctx.state.user ?? ANONYMOUS_USER, target.host);
  if (upgrade) Object.assign(headers, { connection: 'Upgrade', upgrade: ctx.get('upgrade') });
  const upstream = https.request(target, { method: ctx.method, agent: backend.agent, headers, signal: shutdown });
  const answer = await new Promise<Answer>((resolve, reject) => {
    upstream.once('response', (response: IncomingMessage) => resolve({ response }));
    upstream.once('upgrade', (response: IncomingMessage, socket: Duplex, head: Buffer) => resolve({ response, upgraded: { socket, head } }));
    upstream.once('error', reject);
    if (upgrade) upstream.end();
    else ctx.req.pipe(upstream);
  }).catch((err: Error) => {
    throw newServiceUnavailable(`error trying to reach service: ${err.message}`);
  });
  if (answer.upgraded && upgrade) {
    ctx.respond = false;
    joinUpgraded(answer.response, upgrade, answer.upgraded, shutdown);
    return;
  }
  const { response } = answer;
  // A client that leaves early (an ended watch) ends the backend request too.
  ctx.res.once('close', () => {
    if (!response.complete) upstream.destroy();
  });
  ctx.status = response.statusCode ?? 502;
  for (const [name, value] of Object.entries(response.headers)) {
    if (value !== undefined && !isHopByHopHeader(name) && name !== 'content-length') ctx.set(name, value);
  }
  if (response.headers['content-length'] !== undefined) ctx.length = Number(response.headers['content-length']);
  // An error after the headers were sent can only cut the stream short.
  response.on('error', () => ctx.res.destroy());
  ctx.body = response;
}

/** Writes the backend's 101 to the client, then copies bytes both ways until either side closes. */
function joinUpgraded(response: IncomingMessage, client: { socket: Duplex; head: Buffer }, backend: { socket: Duplex; head: Buffer }, shutdown: AbortSignal): void {
  const lines = [`HTTP/1.1 101 ${response.statusMessage ?? 'Switching Protocols'}`];
  for (let i = 0; i < response.rawHeaders.length; i += 2) lines.push(`${response.rawHeaders[i]}: ${response.rawHeaders[i + 1]}`);
  client.socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  if (backend.head.length > 0) client.socket.write(backend.head);
  if (client.head.length > 0) backend.socket.write(client.head);
  const close = () => {
    shutdown.removeEventListener('abort', close);
    backend.socket.destroy();
    client.socket.destroy();
  };
  for (const socket of [client.socket, backend.socket]) {
    socket.once('close', close);
    socket.on('error', close);
  }
  shutdown.addEventListener('abort', close, { once: true });
  backend.socket.pipe(client.socket);
  client.socket.pipe(backend.socket);
}
