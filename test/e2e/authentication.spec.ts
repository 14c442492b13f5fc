/**
 * Authentication over real TLS connections: bearer tokens from a token file,
 * x509 client certificates against --client-ca-file, front-proxy request headers
 * trusted only from the front proxy's certificate, and certificates and CA
 * bundles reloaded from disk without a restart.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { createCertificate, LEAF_VALIDITY_DAYS } from '../../src/framework/server/pki/create-certificate';
import { writeFileAtomic } from '../../src/framework/server/pki/files';
import { newCA, newClientCertificate, tlsRequest, whoAmI, writeKubeconfigFor, type CertKeyPair, type TLSResponse } from '../support/credentials';
import { eventually, runKubectl } from '../support/kubectl';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const TOKENS = ['tok-alice,alice,1001,"devs,ops"', 'tok-bob,bob,1002', ',nobody,1003', ''].join('\n');

function refused(res: unknown, code = 401): void {
  const response = res as TLSResponse;
  assert.equal(response.status, code, response.body);
  assert.equal(response.json().reason, code === 401 ? 'Unauthorized' : 'Forbidden');
}

describe('e2e: authentication', function () {
  this.timeout(60_000);
  let dir: string;
  let server: TestServer;
  let cluster: { server: string; caPem: string };
  let clientCA: CertKeyPair;
  let proxyCA: CertKeyPair;
  let admin: CertKeyPair;
  let proxy: CertKeyPair;

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'authn-'));
    [clientCA, proxyCA] = await Promise.all([newCA('test-client-ca'), newCA('test-front-proxy-ca')]);
    [admin, proxy] = await Promise.all([newClientCertificate(clientCA, 'root', ['system:masters']), newClientCertificate(proxyCA, 'front-proxy-client')]);
    writeFileSync(path.join(dir, 'client-ca.crt'), clientCA.certPem);
    writeFileSync(path.join(dir, 'front-proxy-ca.crt'), proxyCA.certPem);
    writeFileSync(path.join(dir, 'tokens.csv'), TOKENS);
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), [
      '--client-ca-file', path.join(dir, 'client-ca.crt'),
      '--token-auth-file', path.join(dir, 'tokens.csv'),
      '--requestheader-client-ca-file', path.join(dir, 'front-proxy-ca.crt'),
      '--requestheader-allowed-names', 'front-proxy-client',
      '--tls-cipher-suites', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_AES_128_GCM_SHA256',
    ]);
    cluster = { server: server.running.url, caPem: readFileSync(path.join(server.dataDir, 'pki', 'ca.crt'), 'utf8') };
  });
  after(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('bearer tokens from the token file name the user, uid and groups; kubectl --token works', async () => {
    assert.deepEqual(await whoAmI(cluster, { token: 'tok-alice' }), { username: 'alice', uid: '1001', groups: ['devs', 'ops', 'system:authenticated'] });
    assert.deepEqual(await whoAmI(cluster, { token: 'tok-bob' }), { username: 'bob', uid: '1002', groups: ['system:authenticated'] });
    const kubeconfig = writeKubeconfigFor(cluster, path.join(dir, 'alice.kubeconfig'), { token: 'tok-alice' });
    const whoami = await runKubectl(['auth', 'whoami', '-o', 'jsonpath={.status.userInfo.username}'], { kubeconfig });
    assert.equal(whoami.stdout, 'alice', whoami.stderr);
  });

  it('an unknown token, an empty token row, or no credentials at all: 401, never anonymous', async () => {
    refused(await whoAmI(cluster, { token: 'tok-mallory' }));
    refused(await whoAmI(cluster, { token: '' }));
    refused(await whoAmI(cluster));
    const kubeconfig = writeKubeconfigFor(cluster, path.join(dir, 'mallory.kubeconfig'), { token: 'tok-mallory' });
    const result = await runKubectl(['get', 'widgets'], { kubeconfig });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /You must be logged in to the server|Unauthorized/);
  });

  it('x509 client certificates from the client CA name the user (CN) and groups (O); others are refused', async () => {
    const carol = await newClientCertificate(clientCA, 'carol', ['qa', 'devs']);
    assert.deepEqual(await whoAmI(cluster, { cert: carol }), { username: 'carol', groups: ['qa', 'devs', 'system:authenticated'] });
    assert.equal(((await whoAmI(cluster, { cert: admin })) as { username: string }).username, 'root');
    const strangerCA = await newCA('stranger-ca');
    refused(await whoAmI(cluster, { cert: await newClientCertificate(strangerCA, 'root', ['system:masters']) }));
  });

  it('an invalid client certificate does not hide a valid token on the same request', async () => {
    const stranger = await newClientCertificate(await newCA('other-ca'), 'eve');
    assert.equal(((await whoAmI(cluster, { cert: stranger, token: 'tok-bob' })) as { username: string }).username, 'bob');
  });

  it('front-proxy headers count only with the front proxy certificate of an allowed name', async () => {
    const headers = {
      'X-Remote-User': 'dave',
      'X-Remote-Group': ['team-a', 'team-b'],
      'X-Remote-Extra-Scopes': ['read', 'write'],
      'X-Remote-Extra-Acme.com%2Fproject': 'x',
      'X-Remote-Uid': 'u-42',
    };
    assert.deepEqual(await whoAmI(cluster, { cert: proxy, headers }), {
      username: 'dave',
      uid: 'u-42',
      groups: ['team-a', 'team-b', 'system:authenticated'],
      extra: { scopes: ['read', 'write'], 'acme.com/project': ['x'] },
    });
    // Spoofing: the same headers without a certificate, with a user's certificate, or from the proxy CA under another name.
    refused(await whoAmI(cluster, { headers }));
    const carol = await newClientCertificate(clientCA, 'carol');
    assert.equal(((await whoAmI(cluster, { cert: carol, headers })) as { username: string }).username, 'carol');
    const notTheProxy = await newClientCertificate(proxyCA, 'some-other-client');
    refused(await whoAmI(cluster, { cert: notTheProxy, headers }));
    refused(await whoAmI(cluster, { token: 'tok-bob-typo', headers }));
    // A user certificate from the proxy CA is not a user certificate.
    refused(await whoAmI(cluster, { cert: notTheProxy }));
  });

  it('TokenReview answers with the token file (as a core cluster for delegating servers)', async () => {
    const review = (token: string) =>
      tlsRequest(cluster, '/apis/authentication.k8s.io/v1/tokenreviews', { cert: admin, body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } });
    const known = await review('tok-alice');
    assert.equal(known.status, 201, known.body);
    assert.deepEqual(known.json().status, { authenticated: true, user: { username: 'alice', uid: '1001', groups: ['devs', 'ops', 'system:authenticated'] } });
    assert.deepEqual((await review('nope')).json().status, { user: {} });
    const empty = await review('');
    assert.equal(empty.status, 400);
    assert.equal(empty.json().message, 'token is required for TokenReview in authentication');
    // Reviews are answered, never stored: as in kube-apiserver there is no path for one review.
    const fetched = await tlsRequest(cluster, '/apis/authentication.k8s.io/v1/tokenreviews/any', { cert: admin });
    assert.equal(fetched.status, 404);
  });

  it('serves TLS 1.2 with the configured cipher suites only', async () => {
    const connect = (options: tls.ConnectionOptions) =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(cluster.server);
        const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: cluster.caPem, maxVersion: 'TLSv1.2', ...options }, () => {
          resolve(socket.getCipher().name);
          socket.end();
        });
        socket.on('error', reject);
      });
    assert.equal(await connect({}), 'ECDHE-RSA-AES128-GCM-SHA256');
    await assert.rejects(connect({ ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' }), /handshake failure|no shared cipher|alert/i);
  });

  it('reloads the client CA bundle when its file changes, without a restart', async () => {
    const nextCA = await newCA('next-client-ca');
    const erin = await newClientCertificate(nextCA, 'erin');
    refused(await whoAmI(cluster, { cert: erin }));
    await writeFileAtomic(path.join(dir, 'client-ca.crt'), clientCA.certPem + nextCA.certPem, 0o644);
    await eventually(async () => assert.equal(((await whoAmI(cluster, { cert: erin })) as { username: string }).username, 'erin'));
    assert.equal(((await whoAmI(cluster, { cert: admin })) as { username: string }).username, 'root');
  });

  it('reloads the serving certificate when its files change: new connections get the new one', async () => {
    const pkiDir = path.join(server.dataDir, 'pki');
    const servedSerial = () =>
      new Promise<string>((resolve, reject) => {
        const url = new URL(cluster.server);
        const socket = tls.connect({ host: url.hostname, port: Number(url.port), ca: cluster.caPem }, () => {
          resolve(socket.getPeerX509Certificate()!.serialNumber);
          socket.end();
        });
        socket.on('error', reject);
      });
    const before = await servedSerial();
    const ca = { certPem: readFileSync(path.join(pkiDir, 'ca.crt'), 'utf8'), keyPem: readFileSync(path.join(pkiDir, 'ca.key'), 'utf8') };
    const next = await createCertificate({ usage: 'server', commonName: 'apiserver-kit', hosts: ['localhost', '127.0.0.1', '::1'], validDays: LEAF_VALIDITY_DAYS }, ca);
    await writeFileAtomic(path.join(pkiDir, 'apiserver.key'), next.keyPem, 0o600);
    await writeFileAtomic(path.join(pkiDir, 'apiserver.crt'), next.certPem, 0o644);
    const expected = new X509Certificate(next.certPem).serialNumber;
    assert.notEqual(before, expected);
    await eventually(async () => assert.equal(await servedSerial(), expected));
    assert.equal(((await whoAmI(cluster, { cert: admin })) as { username: string }).username, 'root');
  });
});
