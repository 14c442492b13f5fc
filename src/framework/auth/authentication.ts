/**
 * The authenticator a server runs with, assembled in kube-apiserver's order:
 * front-proxy request headers, then x509 client certificates, then bearer
 * tokens (token file, then TokenReview). Anonymous requests are the filter's
 * business (`--anonymous-auth`).
 */
import { UnionAuthenticator, type Authenticator } from './authenticator';
import { BearerTokenAuthenticator, type TokenAuthenticator } from './bearer-token';
import type { CABundleSource } from './client-certificate';
import { DynamicRequestHeaderAuthenticator } from './dynamic-request-header';
import { RequestHeaderAuthenticator, type RequestHeaderOptions } from './request-header';
import { X509Authenticator } from './x509';

export interface AuthenticationConfig {
  /** Verifies users' client certificates (`--client-ca-file`). */
  clientCA?: CABundleSource;
  /** Trusts a front proxy's headers (`--requestheader-*`, or the core cluster's settings as they change). */
  requestHeader?: RequestHeaderOptions | DynamicRequestHeaderAuthenticator;
  /** Bearer token authenticators, asked in order. */
  tokens: TokenAuthenticator[];
}

export function newAuthenticator(config: AuthenticationConfig): Authenticator {
  const authenticators: Authenticator[] = [];
  const { requestHeader } = config;
  if (requestHeader) authenticators.push(requestHeader instanceof DynamicRequestHeaderAuthenticator ? requestHeader : new RequestHeaderAuthenticator(requestHeader));
  if (config.clientCA) authenticators.push(new X509Authenticator(config.clientCA));
  if (config.tokens.length > 0) authenticators.push(new BearerTokenAuthenticator(config.tokens));
  return new UnionAuthenticator(authenticators);
}
