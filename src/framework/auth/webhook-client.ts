/**
 * Where a delegated review goes: a server named by a kubeconfig, at the path of a
 * core cluster's review resource (`--authentication-kubeconfig`,
 * `--authorization-kubeconfig`) or at the URL of the kubeconfig's server itself
 * (`--authentication-token-webhook-config-file`, `--authorization-webhook-config-file`).
 */
import { loadClientConfig } from '../client/client-config';
import { RESTClient } from '../client/rest-client';

/** How long one review call may take before the request is refused. */
const REVIEW_TIMEOUT_MS = 10_000;

export interface ReviewEndpoint {
  /** POSTs a review object and resolves with the answered one. */
  post<R>(review: object): Promise<R>;
  close(): void;
}

export function reviewEndpoint(kubeconfigPath: string, target: { resourcePath: string } | 'server-url'): ReviewEndpoint {
  const config = loadClientConfig(kubeconfigPath);
  const client = new RESTClient(config);
  const path = target === 'server-url' ? new URL(config.server).pathname + new URL(config.server).search : target.resourcePath;
  return {
    post: <R>(review: object) => client.request<R>(path, { method: 'POST', body: review, signal: AbortSignal.timeout(REVIEW_TIMEOUT_MS) }),
    close: () => client.close(),
  };
}
