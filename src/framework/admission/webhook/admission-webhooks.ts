/**
 * Admission webhooks as admission plugins: each write a webhook's rules select
 * is sent to it as an AdmissionReview (admission.k8s.io/v1) with the object in
 * a version the rules name (a write through /scale as its autoscaling/v1 Scale);
 * mutating webhooks may answer with a JSON patch, any webhook may refuse.
 * Mutating webhooks are called one after the other, validating ones all at once.
 */
import { randomUUID } from 'node:crypto';
import { applyPatch, type Operation } from 'fast-json-patch';
import { SCALE_GVK } from '../../api/autoscaling';
import { newBadRequest, newInternalError, StatusError } from '../../api/status';
import { scaleOf, withScale } from '../../endpoints/scale';
import type { GroupVersionKind, ResourceInfo, Scheme, ScaleSubresource } from '../../runtime';
import type { AdmissionAttributes, AdmissionOperation, MutatingAdmissionPlugin, ValidatingAdmissionPlugin } from '../interfaces';
import { callWebhook, WebhookCallError, type AdmissionResponse } from './call';
import { DEFAULT_WEBHOOK_TIMEOUT_SECONDS, validateWebhookConfiguration, type Webhook, type WebhookConfiguration } from './configuration';
import { objectSelectorMatches, ruleMatches } from './rules';

/** A webhook and the version its rules want this write in. */
interface Selected {
  hook: Webhook;
  served: ResourceInfo;
}

const OPTIONS_KIND: Record<AdmissionOperation, string> = { CREATE: 'CreateOptions', UPDATE: 'UpdateOptions', DELETE: 'DeleteOptions' };

/** The scale paths when a write goes through the scale subresource of a resource that has one. */
function scaleWrite(attrs: AdmissionAttributes, served: ResourceInfo): ScaleSubresource | undefined {
  return attrs.subresource === 'scale' ? served.subresources.scale : undefined;
}

/** kube's wording of a refusal: the webhook's message, with at least 400 as its code. */
function refusal(hook: Webhook, response: AdmissionResponse): StatusError {
  const status = response.status ?? {};
  const deniedBy = `admission webhook "${hook.name}" denied the request`;
  const detail = status.message || status.reason;
  return new StatusError({
    code: status.code && status.code >= 400 ? status.code : 400,
    reason: (status.reason as StatusError['reason']) || undefined,
    message: detail ? `${deniedBy}: ${detail}` : `${deniedBy} without explanation`,
  });
}

class WebhookDispatcher {
  private readonly hooks: Webhook[];

  constructor(
    private readonly scheme: Scheme,
    configurations: readonly WebhookConfiguration[],
  ) {
    const problems = configurations.flatMap(validateWebhookConfiguration);
    if (problems.length > 0) throw new Error(`invalid webhook configuration:\n${problems.join('\n')}`);
    this.hooks = configurations.flatMap((c) => c.webhooks);
  }

  /** The webhooks this write goes to, each with the served version to send. */
  select(attrs: AdmissionAttributes): Selected[] {
    const served = this.scheme
      .resources()
      .filter((r) => r.gvk.group === attrs.resource.group && r.plural === attrs.resource.resource)
      .sort((a, b) => Number(b.gvk.version === attrs.resource.version) - Number(a.gvk.version === attrs.resource.version));
    const selected: Selected[] = [];
    for (const hook of this.hooks) {
      const version = served.find((info) => hook.rules.some((rule) => ruleMatches(rule, attrs, info.gvk.version, info.namespaced)));
      if (version && objectSelectorMatches(hook, attrs)) selected.push({ hook, served: version });
    }
    return selected;
  }

  /** Asks one webhook; the response, or undefined when it could not be asked and its failure policy is Ignore. */
  async ask({ hook, served }: Selected, attrs: AdmissionAttributes): Promise<{ response: AdmissionResponse; sent?: Record<string, unknown> } | undefined> {
    if (attrs.dryRun && hook.sideEffects !== 'None' && hook.sideEffects !== 'NoneOnDryRun') {
      throw newBadRequest(`admission webhook "${hook.name}" does not support dry run`);
    }
    const uid = randomUUID();
    const object = attrs.object && this.sent(attrs.object, attrs, served);
    // kube names the kind of what it sends: a Scale for writes through /scale, of the parent's resource.
    // `kind` and `resource` are the version the webhook matched; `request…` what the client wrote.
    const scale = scaleWrite(attrs, served) !== undefined;
    const requested = attrs.resource;
    const review = {
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        uid,
        kind: scale ? SCALE_GVK : served.gvk,
        resource: { group: served.gvk.group, version: served.gvk.version, resource: served.plural },
        subResource: attrs.subresource || undefined,
        requestKind: scale ? SCALE_GVK : { ...served.gvk, version: requested.version },
        requestResource: { group: requested.group, version: requested.version, resource: requested.resource },
        requestSubResource: attrs.subresource || undefined,
        name: attrs.name,
        namespace: attrs.namespace || undefined,
        operation: attrs.operation,
        userInfo: attrs.user ?? {},
        object: object ?? null,
        oldObject: attrs.oldObject ? this.sent(attrs.oldObject, attrs, served) : null,
        dryRun: attrs.dryRun,
        options: { apiVersion: 'meta.k8s.io/v1', kind: OPTIONS_KIND[attrs.operation] },
      },
    };
    try {
      const response = await callWebhook(hook.clientConfig, review, (hook.timeoutSeconds ?? DEFAULT_WEBHOOK_TIMEOUT_SECONDS) * 1000);
      if (response.uid !== uid) throw new WebhookCallError(`expected response.uid="${uid}", got "${response.uid ?? ''}"`);
      return { response, sent: object };
    } catch (err) {
      if (!(err instanceof WebhookCallError)) throw err;
      if (hook.failurePolicy === 'Ignore') return undefined;
      throw newInternalError(`failed calling webhook "${hook.name}": ${err.message}`);
    }
  }

  /**
   * Applies a mutating webhook's JSON patch to the object sent, and puts the result back
   * into the internal object (of a patched Scale, the desired replicas).
   */
  applyPatch({ hook, served }: Selected, attrs: AdmissionAttributes, sent: Record<string, unknown>, response: AdmissionResponse): void {
    if (!response.patch || !attrs.object) return;
    if (response.patchType !== 'JSONPatch') throw newInternalError(`failed calling webhook "${hook.name}": unsupported patch type "${response.patchType ?? ''}"`);
    let patched: Record<string, unknown>;
    try {
      const operations = JSON.parse(Buffer.from(response.patch, 'base64').toString('utf8')) as Operation[];
      patched = applyPatch(structuredClone(sent), operations, true, false).newDocument;
    } catch (err) {
      throw newInternalError(`failed calling webhook "${hook.name}": the patch does not apply: ${(err as Error).message}`);
    }
    const scale = scaleWrite(attrs, served);
    const versioned = scale ? withScale(this.versioned(attrs.object, served.gvk), patched, scale) : patched;
    const hub = this.scheme.convert(this.scheme.fromPlain(versioned, served.gvk), attrs.kind);
    const target = attrs.object as Record<string, unknown>;
    for (const key of Object.keys(target)) delete target[key];
    Object.assign(target, hub);
  }

  /** An object as a webhook is sent it: in the served version, or its Scale for a write through /scale. */
  private sent(obj: object, attrs: AdmissionAttributes, served: ResourceInfo): Record<string, unknown> {
    const versioned = this.versioned(obj, served.gvk);
    const scale = scaleWrite(attrs, served);
    return scale ? scaleOf(versioned, scale) : versioned;
  }

  private versioned(obj: object, gvk: GroupVersionKind): Record<string, unknown> {
    return this.scheme.toPlainAs(obj, gvk);
  }
}

/** The webhooks of MutatingWebhookConfigurations, called in order; each sees the previous one's changes. */
export class MutatingWebhooks implements MutatingAdmissionPlugin {
  readonly name = 'MutatingAdmissionWebhook';
  private readonly dispatcher: WebhookDispatcher;

  constructor(scheme: Scheme, configurations: readonly WebhookConfiguration[]) {
    this.dispatcher = new WebhookDispatcher(scheme, configurations);
  }

  handles(): boolean {
    return true;
  }

  async admit(attrs: AdmissionAttributes): Promise<void> {
    for (const selected of this.dispatcher.select(attrs)) {
      const answer = await this.dispatcher.ask(selected, attrs);
      if (!answer) continue;
      if (!answer.response.allowed) throw refusal(selected.hook, answer.response);
      if (answer.sent) this.dispatcher.applyPatch(selected, attrs, answer.sent, answer.response);
    }
  }
}

/** The webhooks of ValidatingWebhookConfigurations, called together; any one may refuse. */
export class ValidatingWebhooks implements ValidatingAdmissionPlugin {
  readonly name = 'ValidatingAdmissionWebhook';
  private readonly dispatcher: WebhookDispatcher;

  constructor(scheme: Scheme, configurations: readonly WebhookConfiguration[]) {
    this.dispatcher = new WebhookDispatcher(scheme, configurations);
  }

  handles(): boolean {
    return true;
  }

  async validate(attrs: AdmissionAttributes): Promise<void> {
    const selected = this.dispatcher.select(attrs);
    const answers = await Promise.all(selected.map((s) => this.dispatcher.ask(s, attrs)));
    answers.forEach((answer, i) => {
      if (answer && !answer.response.allowed) throw refusal(selected[i].hook, answer.response);
    });
  }
}
