/**
 * x509 client-certificate authentication: a certificate the TLS layer verified
 * against the client CA names the user (CN) and its groups (O).
 */
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Authenticator, AuthenticationResult } from './authenticator';

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export class X509Authenticator implements Authenticator {
  readonly name = 'x509';

  authenticate(req: IncomingMessage): AuthenticationResult {
    const socket = req.socket as TLSSocket;
    if (typeof socket.getPeerCertificate !== 'function') return { kind: 'none' };
    const cert = socket.getPeerCertificate();
    if (!cert || Object.keys(cert).length === 0) return { kind: 'none' };
    // The TLS server was given the client CA; authorized means the chain verified.
    if (!socket.authorized) return { kind: 'invalid', reason: `x509: certificate signed by unknown authority (${socket.authorizationError ?? 'unverified'})` };
    const username = asList(cert.subject?.CN)[0];
    if (!username) return { kind: 'invalid', reason: 'x509: certificate has no common name' };
    return { kind: 'user', user: { username, groups: asList(cert.subject?.O) } };
  }
}
