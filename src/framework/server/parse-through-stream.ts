/**
 * Makes Node's HTTP parser read a TLS connection through the socket's stream
 * instead of straight from the TLS handle.
 *
 * Why: when a request arrives while the previous response on the same
 * keep-alive connection still waits for 'drain' (its write completion is
 * delivered later, e.g. for a response written from a setImmediate callback),
 * Node pauses the socket and the parser. Reading straight from the handle, the
 * TLS layer keeps handing the parser the records it has already decrypted (a
 * body over one 16 KiB record), the paused parser fails with HPE_PAUSED and the
 * connection is dropped. Through the stream, pause() holds those bytes back
 * until the parser resumes. A 'data' listener is what switches Node to this
 * path; the listener itself has nothing to do.
 */
import type { TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';

const parseThroughStream = (): void => undefined;

/** For the server's 'secureConnection' event. */
export function readRequestsThroughStream(socket: TLSSocket): void {
  socket.on('data', parseThroughStream);
}

/** For the 'upgrade' event: the upgraded protocol owns the socket's data from here on. */
export function releaseUpgradedSocket(socket: Duplex): void {
  socket.off('data', parseThroughStream);
}
