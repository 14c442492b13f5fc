/**
 * Admission webhooks configured in the shape of admissionregistration.k8s.io/v1
 * MutatingWebhookConfiguration and ValidatingWebhookConfiguration, with their
 * defaults: which writes each webhook sees, where it is called, how long it may
 * take and what a failure to call it means.
 */
import type { LabelSelectorObject } from '../../api/labels';

export type WebhookOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT' | '*';

export interface RuleWithOperations {
  operations: WebhookOperation[];
  /** `""` for the core group, `*` for all. */
  apiGroups: string[];
  /** `*` for all. */
  apiVersions: string[];
  /** `widgets`, `widgets/status`, `*`, `*\/status` or `*\/*`. */
  resources: string[];
  /** `Cluster`, `Namespaced` or `*` (default). */
  scope?: 'Cluster' | 'Namespaced' | '*';
}

export interface WebhookClientConfig {
  /** `https://host:port/path`; kube's `service` references have no meaning outside a cluster. */
  url: string;
  /** Base64 PEM bundle that verifies the webhook's serving certificate; default: the system roots. */
  caBundle?: string;
}

export interface Webhook {
  /** Fully qualified, e.g. `deny-bad.example.com`. */
  name: string;
  clientConfig: WebhookClientConfig;
  rules: RuleWithOperations[];
  /** `Fail` (default): a webhook that cannot be called refuses the write; `Ignore`: the write goes on. */
  failurePolicy?: 'Fail' | 'Ignore';
  /** 1 to 30; default 10. */
  timeoutSeconds?: number;
  /** `None` or `NoneOnDryRun` let dry-run requests through to the webhook; others refuse them. */
  sideEffects?: 'None' | 'NoneOnDryRun' | 'Some' | 'Unknown';
  /** Must include `v1`, the only AdmissionReview version sent. */
  admissionReviewVersions: string[];
  /** Only objects whose labels match (old or new object). */
  objectSelector?: LabelSelectorObject;
}

export interface WebhookConfiguration {
  metadata: { name: string };
  webhooks: Webhook[];
}

export type MutatingWebhookConfiguration = WebhookConfiguration & { kind?: 'MutatingWebhookConfiguration' };
export type ValidatingWebhookConfiguration = WebhookConfiguration & { kind?: 'ValidatingWebhookConfiguration' };

export const DEFAULT_WEBHOOK_TIMEOUT_SECONDS = 10;

/** Problems with a configuration, one message each (empty when it is usable). */
export function validateWebhookConfiguration(config: WebhookConfiguration): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  config.webhooks.forEach((hook, i) => {
    const at = `${config.metadata.name}: webhooks[${i}]`;
    if (!hook.name) problems.push(`${at}.name: Required value`);
    if (names.has(hook.name)) problems.push(`${at}.name: Duplicate value: ${JSON.stringify(hook.name)}`);
    names.add(hook.name);
    let url: URL | undefined;
    try {
      url = new URL(hook.clientConfig.url);
    } catch {
      problems.push(`${at}.clientConfig.url: Invalid value: not a URL`);
    }
    if (url && url.protocol !== 'https:') problems.push(`${at}.clientConfig.url: Invalid value: 'https' is the only allowed URL scheme`);
    const timeout = hook.timeoutSeconds ?? DEFAULT_WEBHOOK_TIMEOUT_SECONDS;
    if (!(timeout >= 1 && timeout <= 30)) problems.push(`${at}.timeoutSeconds: Invalid value: ${timeout}: the timeout value must be between 1 and 30 seconds`);
    if (!hook.admissionReviewVersions.includes('v1')) problems.push(`${at}.admissionReviewVersions: Invalid value: must include at least one of v1`);
    if (hook.rules.length === 0) problems.push(`${at}.rules: Required value`);
  });
  return problems;
}
