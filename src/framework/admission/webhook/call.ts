/**
 * One call to an admission webhook: POST an AdmissionReview over HTTPS, verify
 * the webhook's certificate against its caBundle, give up after the timeout,
 * and hand back the review's response.
 */
import https from 'node:https';
import type { WebhookClientConfig } from './configuration';

export interface AdmissionResponse {
  uid?: string;
  allowed?: boolean;
  status?: { code?: number; message?: string; reason?: string; status?: string };
  patch?: string;
  patchType?: string;
  warnings?: string[];
  auditAnnotations?: Record<string, string>;
}

/** The webhook could not be asked, or gave no usable answer (failurePolicy decides what follows). */
export class WebhookCallError extends Error {}

export function callWebhook(client: WebhookClientConfig, review: object, timeoutMs: number): Promise<AdmissionResponse> {
  const payload = Buffer.from(JSON.stringify(review));
  const ca = client.caBundle ? Buffer.from(client.caBundle, 'base64') : undefined;
  return new Promise((resolve, reject) => {
    const fail = (why: string) => reject(new WebhookCallError(`failed to call webhook: Post "${client.url}": ${why}`));
    const req = https.request(
      client.url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'content-length': payload.length },
        ca,
        agent: false,
        signal: AbortSignal.timeout(timeoutMs),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (err) => fail(err.message));
        res.on('end', () => {
          if (res.statusCode !== 200) return fail(`the server responded with status ${res.statusCode}`);
          try {
            const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { response?: AdmissionResponse };
            if (!body.response) return fail('the response has no AdmissionReview response');
            resolve(body.response);
          } catch (err) {
            fail(`the response is not JSON: ${(err as Error).message}`);
          }
        });
      },
    );
    req.on('error', (err) => fail(err.name === 'TimeoutError' || err.name === 'AbortError' ? 'context deadline exceeded' : err.message));
    req.end(payload);
  });
}
