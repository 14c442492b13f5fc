/**
 * Front-proxy authentication whose settings change while the server runs: the
 * core cluster's authentication ConfigMap says which CA signs the proxy's
 * certificate, which names it may have and which headers it uses.
 */
import type { IncomingMessage } from 'node:http';
import type { Authenticator, AuthenticationResult } from './authenticator';
import { RequestHeaderAuthenticator, type RequestHeaderOptions } from './request-header';

export class DynamicRequestHeaderAuthenticator implements Authenticator {
  readonly name = 'requestheader';
  private current?: RequestHeaderAuthenticator;

  /** Requests from now on are authenticated with these settings; undefined trusts no front proxy. */
  update(options: RequestHeaderOptions | undefined): void {
    this.current = options && new RequestHeaderAuthenticator(options);
  }

  authenticate(req: IncomingMessage): AuthenticationResult {
    return this.current?.authenticate(req) ?? { kind: 'none' };
  }
}
