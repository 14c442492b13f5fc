/**
 * Front-proxy (request-header) authentication: a proxy that presents a client
 * certificate signed by the request-header CA, with an allowed common name, tells
 * who the user is in headers (X-Remote-User, X-Remote-Group, X-Remote-Extra-*).
 * The same headers from anyone else are ignored.
 */
import type { IncomingMessage } from 'node:http';
import type { UserInfo } from '../registry/context';
import type { Authenticator, AuthenticationResult } from './authenticator';
import { ClientChainVerifier, subjectNames, type CABundleSource } from './client-certificate';

export interface RequestHeaderOptions {
  /** Signs the proxy's client certificate (`--requestheader-client-ca-file`). */
  clientCA: CABundleSource;
  /** Common names the proxy's certificate may carry; empty: any the CA signed (`--requestheader-allowed-names`). */
  allowedNames: string[];
  /** The first of these headers with a value names the user (`--requestheader-username-headers`). */
  usernameHeaders: string[];
  /** Every value of these headers is a group (`--requestheader-group-headers`). */
  groupHeaders: string[];
  /** Headers with these prefixes carry extra user information (`--requestheader-extra-headers-prefix`). */
  extraHeaderPrefixes: string[];
  /** The first of these headers with a value is the user's UID (`--requestheader-uid-headers`). */
  uidHeaders: string[];
}

/** Every value of a header, in order (Node joins repeated custom headers; rawHeaders keeps them apart). */
function headerValues(req: IncomingMessage, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i].toLowerCase() === wanted) values.push(req.rawHeaders[i + 1]);
  }
  return values;
}

function firstValue(req: IncomingMessage, names: string[]): string | undefined {
  for (const name of names) {
    const value = headerValues(req, name).find((v) => v.length > 0);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Extra keys are lower-cased and percent-decoded, as the aggregator encodes them. */
function extrasOf(req: IncomingMessage, prefixes: string[]): Record<string, string[]> | undefined {
  const extra: Record<string, string[]> = {};
  const lowered = prefixes.map((p) => p.toLowerCase());
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const prefix = lowered.find((p) => name.startsWith(p));
    if (!prefix) continue;
    let key = name.slice(prefix.length);
    try {
      key = decodeURIComponent(key);
    } catch {
      // Not percent-encoded after all: keep the key as it came.
    }
    (extra[key] ??= []).push(req.rawHeaders[i + 1]);
  }
  return Object.keys(extra).length > 0 ? extra : undefined;
}

export class RequestHeaderAuthenticator implements Authenticator {
  readonly name = 'requestheader';
  private readonly verifier: ClientChainVerifier;

  constructor(private readonly options: RequestHeaderOptions) {
    this.verifier = new ClientChainVerifier(options.clientCA);
  }

  authenticate(req: IncomingMessage): AuthenticationResult {
    const verdict = this.verifier.verify(req);
    // Without a certificate from the proxy CA the headers mean nothing; the certificate may still be a user's.
    if (!verdict || verdict.problem) return { kind: 'none' };
    const { commonName } = subjectNames(verdict.chain[0]);
    const { allowedNames } = this.options;
    if (allowedNames.length > 0 && (commonName === undefined || !allowedNames.includes(commonName))) {
      return { kind: 'invalid', reason: `x509: subject with cn=${commonName ?? ''} is not in the allowed list` };
    }
    const username = firstValue(req, this.options.usernameHeaders);
    if (username === undefined) return { kind: 'none' };
    const user: UserInfo = {
      username,
      groups: this.options.groupHeaders.flatMap((h) => headerValues(req, h)),
      uid: firstValue(req, this.options.uidHeaders),
      extra: extrasOf(req, this.options.extraHeaderPrefixes),
    };
    return { kind: 'user', user };
  }
}
