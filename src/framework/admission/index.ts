export { AdmissionChain, admissionMatches } from './interfaces';
export type { AdmissionAttributes, AdmissionMatch, AdmissionOperation, MutatingAdmissionPlugin, ValidatingAdmissionPlugin } from './interfaces';
export { MutatingWebhooks, ValidatingWebhooks } from './webhook/admission-webhooks';
export { DEFAULT_WEBHOOK_TIMEOUT_SECONDS, validateWebhookConfiguration } from './webhook/configuration';
export type {
  MutatingWebhookConfiguration,
  RuleWithOperations,
  ValidatingWebhookConfiguration,
  Webhook,
  WebhookClientConfig,
  WebhookConfiguration,
  WebhookOperation,
} from './webhook/configuration';
