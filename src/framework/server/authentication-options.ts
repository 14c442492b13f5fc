/**
 * From the authentication flags to the server's authenticator: client CA,
 * request-header (front proxy) CA and headers, token file, TokenReview. With
 * --authentication-kubeconfig, the CAs and headers the flags leave open are the
 * core cluster's (its authentication ConfigMap), as in k8s.io/apiserver.
 */
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator';
import { newAuthenticator } from '../auth/authentication';
import type { TokenAuthenticator } from '../auth/bearer-token';
import { DynamicCABundle, unionCABundle } from '../auth/client-certificate';
import { TokenFileAuthenticator } from '../auth/token-file';
import { TOKEN_REVIEW_PATH, TokenReviewAuthenticator } from '../auth/token-review-authenticator';
import { reviewEndpoint, type ReviewEndpoint } from '../auth/webhook-client';
import { ClusterAuthentication } from './delegation/cluster-authentication';
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
  /**
   * Reads the core cluster's authentication settings where the flags leave them
   * to it (nothing to do otherwise); rejects when they cannot be read, unless
   * --authentication-tolerate-lookup-failure. Call before serving.
   */
  start(): Promise<void>;
  /** Applies the core cluster's changes from now on; `onHandshakeCAChange` runs when handshakeCAPem() has changed. */
  follow(onHandshakeCAChange: () => void): void;
  /** Releases connections to review endpoints and the core cluster. */
  close(): void;
}

/** The core cluster's settings, for what the flags leave open when it is known (--authentication-kubeconfig). */
function clusterAuthentication(options: ServerRunOptions, logger: Logger): ClusterAuthentication | undefined {
  const kubeconfig = options.authenticationKubeconfig;
  if (!kubeconfig || (options.clientCAFile && options.requestHeaderClientCAFile)) return undefined;
  return new ClusterAuthentication({
    kubeconfig,
    clientCA: !options.clientCAFile,
    requestHeader: !options.requestHeaderClientCAFile,
    tolerateLookupFailure: options.authenticationTolerateLookupFailure,
    logger: logger.child({ component: 'cluster-authentication' }),
  });
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
  const cluster = clusterAuthentication(options, logger);
  const authenticator = newAuthenticator({
    // The server's own CA (that of its admin kubeconfig) stays trusted beside the cluster's.
    clientCA: cluster?.clientCA ? unionCABundle([clientCA.bundle, cluster.clientCA]) : clientCA.bundle,
    requestHeader: requestHeaderCA
      ? {
          clientCA: requestHeaderCA.bundle,
          allowedNames: options.requestHeaderAllowedNames,
          usernameHeaders: options.requestHeaderUsernameHeaders,
          groupHeaders: options.requestHeaderGroupHeaders,
          extraHeaderPrefixes: options.requestHeaderExtraHeadersPrefix,
          uidHeaders: options.requestHeaderUIDHeaders,
        }
      : cluster?.requestHeader,
    tokens,
  });
  return {
    authenticator,
    tokenAuthenticators: tokens,
    clientCA,
    requestHeaderCA,
    handshakeCAPem: () => [clientCA.pem, requestHeaderCA?.pem, ...(cluster?.handshakeCAPems() ?? [])].filter(Boolean).join('\n'),
    start: async () => cluster?.start(),
    follow: (onHandshakeCAChange) => cluster?.follow(onHandshakeCAChange),
    close: () => {
      endpoints.forEach((e) => e.close());
      cluster?.close();
    },
  };
}
