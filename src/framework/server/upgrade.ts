/**
 * Upgrade requests (Connection: Upgrade, as exec, attach and port-forward streams
 * use) run through the same app and filter chain as any request. A handler that
 * switches protocols takes the socket over (and sets ctx.respond = false); any
 * other answer is written as usual and the connection then closes.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const upgrades = new WeakMap<IncomingMessage, { socket: Duplex; head: Buffer }>();

/** The client's socket and the bytes it sent after the headers, for a request that asks to upgrade. */
export function upgradeOf(req: IncomingMessage): { socket: Duplex; head: Buffer } | undefined {
  return upgrades.get(req);
}

/** Hands an upgrade request to `callback` (the app's request listener) with a response bound to its socket. */
export function dispatchUpgrade(callback: (req: IncomingMessage, res: ServerResponse) => void, req: IncomingMessage, socket: Duplex, head: Buffer): void {
  upgrades.set(req, { socket, head });
  socket.on('error', () => socket.destroy());
  const res = new ServerResponse(req);
  res.assignSocket(socket as Socket);
  res.once('finish', () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  callback(req, res);
}
