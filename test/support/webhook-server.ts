/**
 * Webhooks on loopback for tests: HTTPS with a certificate from a throwaway CA.
 * A review server answers each posted review (AdmissionReview, SubjectAccessReview,
 * TokenReview) with what the test's handler decides, after an optional delay;
 * the admission webhook on top of it remembers every AdmissionReview it got.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { createCertificate, LEAF_VALIDITY_DAYS } from '../../src/framework/server/pki/create-certificate';
import { newCA } from './credentials';

export interface AdmissionRequest {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  requestKind?: { group: string; version: string; kind: string };
  requestResource?: { group: string; version: string; resource: string };
  requestSubResource?: string;
  name: string;
  namespace?: string;
  operation: string;
  userInfo: { username?: string; groups?: string[] };
  object: any;
  oldObject: any;
  dryRun: boolean;
}

export interface AdmissionAnswer {
  allowed: boolean;
  status?: { code?: number; message?: string; reason?: string };
  /** JSON patch operations; sent base64-encoded as patchType JSONPatch. */
  patch?: object[];
  /** Wait this long before answering. */
  delayMs?: number;
}

export interface WebhookServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The CA bundle (base64 PEM) a webhook configuration names. */
  caBundle: string;
  /** Requests received, by path. */
  received: Map<string, AdmissionRequest[]>;
  close(): Promise<void>;
}

export interface ReviewServer {
  /** `https://127.0.0.1:<port>` */
  url: string;
  /** The CA certificate (PEM) that verifies the server. */
  caPem: string;
  close(): Promise<void>;
}

/** Answers every POSTed JSON review with `answer(path, review)`'s body, `delayMs` later. */
export async function startReviewServer(answer: (path: string, review: any) => { body: object; delayMs?: number }): Promise<ReviewServer> {
  const ca = await newCA('webhook-ca');
  const serving = await createCertificate({ usage: 'server', commonName: 'webhook', hosts: ['127.0.0.1'], validDays: LEAF_VALIDITY_DAYS }, ca);
  const server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const decided = answer(req.url ?? '/', JSON.parse(Buffer.concat(chunks).toString('utf8')));
      setTimeout(() => {
        if (res.destroyed) return;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(decided.body));
      }, decided.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    caPem: ca.certPem,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function startWebhookServer(answer: (path: string, request: AdmissionRequest) => AdmissionAnswer): Promise<WebhookServer> {
  const received = new Map<string, AdmissionRequest[]>();
  const server = await startReviewServer((path, review) => {
    received.set(path, [...(received.get(path) ?? []), review.request]);
    const decided = answer(path, review.request);
    const response: Record<string, unknown> = { uid: review.request.uid, allowed: decided.allowed, status: decided.status };
    if (decided.patch) {
      response.patchType = 'JSONPatch';
      response.patch = Buffer.from(JSON.stringify(decided.patch)).toString('base64');
    }
    return { body: { apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }, delayMs: decided.delayMs };
  });
  return { url: server.url, caBundle: Buffer.from(server.caPem).toString('base64'), received, close: server.close };
}
