import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { RESTClient } from '../../../../src/framework/client/rest-client';
import type { ClientConfig } from '../../../../src/framework/client/client-config';
import { coreClusterUsername } from '../../../../src/framework/server/delegation/core-cluster-identity';
import { createCertificate, type CertKeyPair } from '../../../../src/framework/server/pki/create-certificate';

describe('server/delegation: who the core cluster takes the server to be', () => {
  let ca: CertKeyPair;
  let server: https.Server;
  let url: string;
  let answer: { status: number; body: object };

  before(async () => {
    ca = await createCertificate({ usage: 'ca', commonName: 'core-ca', validDays: 1 });
    const serving = await createCertificate({ usage: 'server', commonName: 'core', hosts: ['127.0.0.1'], validDays: 1 }, ca);
    server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      req.resume();
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  async function usernameWith(config: Omit<ClientConfig, 'server' | 'caPem'>): Promise<string | undefined> {
    const rest = new RESTClient({ server: url, caPem: ca.certPem, ...config });
    try {
      return await coreClusterUsername(rest, { server: url, ...config });
    } finally {
      rest.close();
    }
  }

  it('is what a SelfSubjectReview answers', async () => {
    answer = { status: 201, body: { kind: 'SelfSubjectReview', status: { userInfo: { username: 'system:serviceaccount:ns:sa' } } } };
    assert.equal(await usernameWith({ token: 'abc' }), 'system:serviceaccount:ns:sa');
  });

  it('is what the credentials say where SelfSubjectReviews are not served: a certificate\'s common name, a service account token\'s subject', async () => {
    answer = { status: 404, body: { kind: 'Status', code: 404, reason: 'NotFound' } };
    const cert = await createCertificate({ usage: 'client', commonName: 'extension-server', validDays: 1 }, ca);
    assert.equal(await usernameWith({ clientCertPem: cert.certPem, clientKeyPem: cert.keyPem }), 'extension-server');
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const serviceAccountToken = `${part({ alg: 'RS256' })}.${part({ sub: 'system:serviceaccount:nginx-system:nginx-api' })}.signature`;
    assert.equal(await usernameWith({ token: serviceAccountToken }), 'system:serviceaccount:nginx-system:nginx-api');
    assert.equal(await usernameWith({ token: 'opaque-token' }), undefined);
  });
});
