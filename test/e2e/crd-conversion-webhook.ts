/**
 * The conversion webhook of the Certificate test CRD: an HTTPS ConversionReview
 * endpoint on loopback that renames spec.dnsNames (v1) to spec.hosts (v1alpha2)
 * and back, and counts what it was asked.
 */
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { ensureServingCertificates } from '../../src/index';

type Plain = Record<string, unknown>;

export interface ConversionWebhook {
  url: string;
  /** The CA of the webhook's certificate, base64 as a CRD's caBundle. */
  caBundle: string;
  /** How many objects it converted, by desired apiVersion. */
  converted: Map<string, number>;
  /** Set to make every review fail with this message. */
  failWith?: string;
  stop(): Promise<void>;
}

function renameHostsField(obj: Plain, to: string): Plain {
  const spec = { ...(obj.spec as Plain | undefined) };
  const from = to === 'certs.example.io/v1' ? 'hosts' : 'dnsNames';
  const into = to === 'certs.example.io/v1' ? 'dnsNames' : 'hosts';
  if (spec[from] !== undefined) {
    spec[into] = spec[from];
    delete spec[from];
  }
  return { ...obj, apiVersion: to, spec };
}

export async function startConversionWebhook(certDir: string): Promise<ConversionWebhook> {
  const pki = await ensureServingCertificates({ certDir, hosts: ['127.0.0.1'] });
  const webhook: ConversionWebhook = {
    url: '',
    caBundle: Buffer.from(pki.ca.certPem).toString('base64'),
    converted: new Map(),
    stop: async () => undefined,
  };
  const server = https.createServer({ cert: pki.servingCert.certPem, key: pki.servingCert.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { request: { uid: string; desiredAPIVersion: string; objects: Plain[] } };
      const { uid, desiredAPIVersion, objects } = review.request;
      const response = webhook.failWith
        ? { uid, convertedObjects: [], result: { status: 'Failure', message: webhook.failWith } }
        : { uid, convertedObjects: objects.map((o) => renameHostsField(o, desiredAPIVersion)), result: { status: 'Success' } };
      if (!webhook.failWith) webhook.converted.set(desiredAPIVersion, (webhook.converted.get(desiredAPIVersion) ?? 0) + objects.length);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'ConversionReview', response }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  webhook.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/convert`;
  webhook.stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return webhook;
}
