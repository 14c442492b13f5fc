/**
 * x509 client-certificate authentication: a certificate that chains to the client
 * CA names the user (CN) and its groups (O).
 */
import type { IncomingMessage } from 'node:http';
import type { Authenticator, AuthenticationResult } from './authenticator';
import { ClientChainVerifier, subjectNames, type CABundleSource } from './client-certificate';

export class X509Authenticator implements Authenticator {
  readonly name = 'x509';
  private readonly verifier: ClientChainVerifier;

  /** `clientCA` is read on every new connection, so a reloaded bundle applies at once. */
  constructor(clientCA: CABundleSource) {
    this.verifier = new ClientChainVerifier(clientCA);
  }

  authenticate(req: IncomingMessage): AuthenticationResult {
    const verdict = this.verifier.verify(req);
    if (!verdict) return { kind: 'none' };
    if (verdict.problem) return { kind: 'invalid', reason: `verifying certificate ${verdict.chain[0].serialNumber} failed: ${verdict.problem}` };
    const { commonName, organizations } = subjectNames(verdict.chain[0]);
    if (!commonName) return { kind: 'invalid', reason: 'x509: certificate has no common name' };
    return { kind: 'user', user: { username: commonName, groups: organizations } };
  }
}
