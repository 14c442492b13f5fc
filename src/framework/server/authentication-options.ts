/**
 * From the authentication flags to the server's authenticator: client CA,
 * request-header (front proxy) CA and headers, token file, TokenReview.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator';
import { newAuthenticator } from '../auth/authentication';
import type { TokenAuthenticator } from '../auth/bearer-token';
import { DynamicCABundle } from '../auth/client-certificate';
import { TokenFileAuthenticator } from '../auth/token-file';
import { TOKEN_REVIEW_PATH, TokenReviewAuthenticator } from '../auth/token-review-authenticator';
import { reviewEndpoint, type ReviewEndpoint } from '../auth/webhook-client';
import type { ServerRunOptions } from './options';

export interface ServerAuthentication {
  authenticator: Authenticator;
  /** The bearer token authenticators, in order (they also answer TokenReviews). */
  tokenAuthenticators: TokenAuthenticator[];
  /** Verifies users' client certificates; reloadable. */
  clientCA: DynamicCABundle;
  /** Verifies the front proxy's client certificate; reloadable. */
  requestHeaderCA?: DynamicCABundle;
  /** Every CA a client certificate may chain to, named to clients in the TLS handshake. */
  handshakeCAPem(): string;
  /** Releases connections to review endpoints. */
  close(): void;
}

export function newServerAuthentication(options: ServerRunOptions, clientCAPem: string, logger: Logger): ServerAuthentication {
  const clientCA = new DynamicCABundle(clientCAPem, options.clientCAFile ?? 'client CA');
  const requestHeaderCA = options.requestHeaderClientCAFile
    ? new DynamicCABundle(readFileSync(options.requestHeaderClientCAFile, 'utf8'), options.requestHeaderClientCAFile)
    : undefined;
  const endpoints: ReviewEndpoint[] = [];
  const tokens: TokenAuthenticator[] = [];
  if (options.tokenAuthFile) tokens.push(TokenFileAuthenticator.fromFile(options.tokenAuthFile, (msg) => logger.warn(msg)));
  const reviewTargets: [string | undefined, Parameters<typeof reviewEndpoint>[1]][] = [
    [options.authenticationTokenWebhookConfigFile, 'server-url'],
    [options.authenticationKubeconfig, { resourcePath: TOKEN_REVIEW_PATH }],
  ];
  for (const [kubeconfig, target] of reviewTargets) {
    if (!kubeconfig) continue;
    const endpoint = reviewEndpoint(kubeconfig, target);
    endpoints.push(endpoint);
    tokens.push(new TokenReviewAuthenticator({ endpoint, cacheTTLMs: options.authenticationTokenWebhookCacheTTLMs }));
  }
  const authenticator = newAuthenticator({
    clientCA: clientCA.bundle,
    requestHeader: requestHeaderCA && {
      clientCA: requestHeaderCA.bundle,
      allowedNames: options.requestHeaderAllowedNames,
      usernameHeaders: options.requestHeaderUsernameHeaders,
      groupHeaders: options.requestHeaderGroupHeaders,
      extraHeaderPrefixes: options.requestHeaderExtraHeadersPrefix,
      uidHeaders: options.requestHeaderUIDHeaders,
    },
    tokens,
  });
  return {
    authenticator,
    tokenAuthenticators: tokens,
    clientCA,
    requestHeaderCA,
    handshakeCAPem: () => [clientCA.pem, requestHeaderCA?.pem].filter(Boolean).join('\n'),
    close: () => endpoints.forEach((e) => e.close()),
  };
}
