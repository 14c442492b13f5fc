/**
 * Strategy Webhook: a ConversionReview (apiextensions.k8s.io/v1) POSTed over
 * HTTPS to the CRD's webhook, checked as kube-apiserver checks the answer: same
 * uid, one object per object sent, each in the desired version, and no change to
 * metadata but labels and annotations.
 */
import { randomUUID } from 'node:crypto';
import https from 'node:https';
import { newInternalError } from '../../api/status';
import { isRecord } from '../../runtime/json-value';
import type { StoredObject } from '../../storage/interface';
import type { CustomResourceConverter } from './converter';

export interface WebhookConverterOptions {
  url: string;
  /** PEM bundle (base64, as in the CRD's caBundle) that signs the webhook's certificate; default: the system's CAs. */
  caBundle?: string;
  /** Names the kind in error messages, e.g. `kubeflow.org/v1, Kind=TFJob`. */
  kindDescription: string;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const MAX_RESPONSE_BYTES = 3 * 1024 * 1024;

export class WebhookConverter implements CustomResourceConverter {
  private readonly ca?: string;

  constructor(private readonly options: WebhookConverterOptions) {
    this.ca = options.caBundle ? Buffer.from(options.caBundle, 'base64').toString('utf8') : undefined;
  }

  async convert(objects: StoredObject[], apiVersion: string): Promise<StoredObject[]> {
    const pending = objects.map((obj, i) => ({ obj, i })).filter(({ obj }) => obj.apiVersion !== apiVersion);
    if (pending.length === 0) return objects;
    const converted = await this.review(pending.map((p) => p.obj), apiVersion);
    const out = [...objects];
    pending.forEach(({ i }, n) => (out[i] = converted[n]));
    return out;
  }

  private async review(objects: StoredObject[], desiredAPIVersion: string): Promise<StoredObject[]> {
    const uid = randomUUID();
    const body = JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', request: { uid, desiredAPIVersion, objects } });
    let answer: unknown;
    try {
      answer = JSON.parse(await this.post(body));
    } catch (err) {
      throw this.failure(`${(err as Error).message}`);
    }
    const response = isRecord(answer) && isRecord(answer.response) ? answer.response : undefined;
    if (!response) throw this.failure('the response has no ConversionReview response');
    if (response.uid !== uid) throw this.failure(`expected response uid "${uid}", got "${String(response.uid)}"`);
    const result = isRecord(response.result) ? response.result : {};
    if (result.status !== 'Success') throw this.failure(`conversion failed: ${typeof result.message === 'string' ? result.message : 'no reason given'}`);
    const converted = response.convertedObjects;
    if (!Array.isArray(converted) || converted.length !== objects.length) {
      throw this.failure(`expected ${objects.length} converted objects, got ${Array.isArray(converted) ? converted.length : 0}`);
    }
    return converted.map((obj, i) => this.checked(obj, objects[i], desiredAPIVersion, i));
  }

  /** The converted object with the original's metadata, but for the labels and annotations the webhook may change. */
  private checked(converted: unknown, original: StoredObject, apiVersion: string, index: number): StoredObject {
    if (!isRecord(converted)) throw this.failure(`invalid converted object at index ${index}: not an object`);
    if (converted.apiVersion !== apiVersion) {
      throw this.failure(`invalid converted object at index ${index}: invalid apiVersion "${String(converted.apiVersion)}", expected "${apiVersion}"`);
    }
    if (converted.kind !== original.kind) {
      throw this.failure(`invalid converted object at index ${index}: invalid kind "${String(converted.kind)}", expected "${String(original.kind)}"`);
    }
    const meta = isRecord(converted.metadata) ? converted.metadata : {};
    for (const key of ['name', 'namespace', 'uid'] as const) {
      if ((meta[key] ?? undefined) !== (original.metadata[key] ?? undefined)) {
        throw this.failure(`invalid converted object at index ${index}: must not change metadata.${key}`);
      }
    }
    const metadata = { ...original.metadata };
    for (const key of ['labels', 'annotations']) {
      if (meta[key] === undefined) delete metadata[key];
      else metadata[key] = meta[key];
    }
    return { ...converted, metadata } as StoredObject;
  }

  private failure(reason: string) {
    return newInternalError(`conversion webhook for ${this.options.kindDescription} failed: ${reason}`);
  }

  private post(body: string): Promise<string> {
    const url = new URL(this.options.url);
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        {
          method: 'POST',
          ca: this.ca,
          headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) },
          timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('the response is too large'));
            else chunks.push(chunk);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) reject(new Error(`Post "${url.href}": the webhook answered ${res.statusCode}: ${text.slice(0, 200)}`));
            else resolve(text);
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`Post "${url.href}": context deadline exceeded`)));
      req.on('error', (err) => reject(err.message.startsWith('Post ') ? err : new Error(`Post "${url.href}": ${err.message}`)));
      req.end(body);
    });
  }
}
