/**
 * From --authorization-mode and its files to the server's authorizer: the
 * modes' authorizers in the order given, the first that decides wins.
 */
import { ABACAuthorizer } from '../auth/abac';
import { alwaysAllow, alwaysDeny, UnionAuthorizer, type Authorizer } from '../auth/authorizer';
import { SUBJECT_ACCESS_REVIEW_PATH, SubjectAccessReviewAuthorizer } from '../auth/subject-access-review-authorizer';
import { reviewEndpoint, type ReviewEndpoint } from '../auth/webhook-client';
import type { ServerRunOptions } from './options';

export const AUTHORIZATION_MODES = ['AlwaysAllow', 'AlwaysDeny', 'ABAC', 'RBAC', 'Webhook'] as const;
export type AuthorizationMode = (typeof AUTHORIZATION_MODES)[number];

export interface ServerAuthorization {
  authorizer: Authorizer;
  modes: AuthorizationMode[];
  close(): void;
}

/** The modes named by the flags, checked against the files they need. */
export function authorizationModes(options: ServerRunOptions): AuthorizationMode[] {
  const modes = options.authorizationMode;
  for (const mode of modes) {
    if (!(AUTHORIZATION_MODES as readonly string[]).includes(mode)) {
      throw new Error(`--authorization-mode: unsupported mode ${JSON.stringify(mode)}; supported: ${AUTHORIZATION_MODES.join(', ')}`);
    }
  }
  if (new Set(modes).size !== modes.length) throw new Error(`--authorization-mode: a mode is listed twice: ${modes.join(',')}`);
  const has = (mode: AuthorizationMode) => modes.includes(mode);
  if (has('ABAC') !== Boolean(options.authorizationPolicyFile)) {
    throw new Error('--authorization-policy-file goes with --authorization-mode=ABAC, and ABAC needs a policy file');
  }
  const webhookConfig = options.authorizationWebhookConfigFile ?? options.authorizationKubeconfig;
  if (has('Webhook') && !webhookConfig) throw new Error('--authorization-mode=Webhook needs --authorization-kubeconfig or --authorization-webhook-config-file');
  if (!has('Webhook') && webhookConfig) throw new Error('--authorization-kubeconfig and --authorization-webhook-config-file go with --authorization-mode=Webhook');
  return modes as AuthorizationMode[];
}

/**
 * Builds every mode but RBAC, whose authorizer reads objects the server itself
 * serves: `rbac` stands in for it at its place in the order.
 */
export function newServerAuthorization(options: ServerRunOptions, rbac?: Authorizer): ServerAuthorization {
  const modes = authorizationModes(options);
  const endpoints: ReviewEndpoint[] = [];
  const build = (mode: AuthorizationMode): Authorizer => {
    switch (mode) {
      case 'AlwaysAllow':
        return alwaysAllow;
      case 'AlwaysDeny':
        return alwaysDeny;
      case 'ABAC':
        return ABACAuthorizer.fromFile(options.authorizationPolicyFile as string);
      case 'RBAC':
        if (!rbac) throw new Error('RBAC mode needs the RBAC authorizer');
        return rbac;
      case 'Webhook': {
        const endpoint = options.authorizationWebhookConfigFile
          ? reviewEndpoint(options.authorizationWebhookConfigFile, 'server-url')
          : reviewEndpoint(options.authorizationKubeconfig as string, { resourcePath: SUBJECT_ACCESS_REVIEW_PATH });
        endpoints.push(endpoint);
        return new SubjectAccessReviewAuthorizer({
          endpoint,
          authorizedTTLMs: options.authorizationWebhookCacheAuthorizedTTLMs,
          unauthorizedTTLMs: options.authorizationWebhookCacheUnauthorizedTTLMs,
        });
      }
    }
  };
  return { authorizer: new UnionAuthorizer(modes.map(build)), modes, close: () => endpoints.forEach((e) => e.close()) };
}
