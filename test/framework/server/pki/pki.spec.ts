import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, promises as fs, rmSync } from 'node:fs';
import https from 'node:https';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TLSSocket } from 'node:tls';
import {
  ensureClientCertificate,
  ensureServingCertificates,
  ServingPKI,
  writeKubeconfig,
} from '../../../../src/framework/server/pki';
import { createCertificate } from '../../../../src/framework/server/pki/create-certificate';
import { killRunningCommands, runCommand } from './run-command';

const KUBECTL = '/usr/bin/kubectl';
const OPENSSL = '/usr/bin/openssl';
const DAY_MS = 24 * 60 * 60 * 1000;

interface FileState {
  bytes: string;
  mtimeMs: number;
  mode: number;
}

async function fileStates(dir: string): Promise<Record<string, FileState>> {
  const states: Record<string, FileState> = {};
  for (const name of (await fs.readdir(dir)).sort()) {
    const file = path.join(dir, name);
    const stat = await fs.stat(file);
    states[name] = { bytes: await fs.readFile(file, 'utf8'), mtimeMs: stat.mtimeMs, mode: stat.mode & 0o777 };
  }
  return states;
}

function changedFiles(before: Record<string, FileState>, after: Record<string, FileState>): string[] {
  return Object.keys(after)
    .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
    .sort();
}

function validityDays(certPem: string): number {
  const cert = new X509Certificate(certPem);
  return Math.round((Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / DAY_MS);
}

async function openssl(...args: string[]): Promise<string> {
  const result = await runCommand(OPENSSL, args);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout.trim();
}

describe('server/pki', function () {
  this.timeout(60_000);
  let certDir: string;
  let logs: string[];
  const ensure = (extra: { hosts?: string[] } = {}): Promise<ServingPKI> =>
    ensureServingCertificates({ certDir, log: (msg) => logs.push(msg), ...extra });
  const ensureAdmin = (pki: ServingPKI, groups = ['system:masters']) =>
    ensureClientCertificate({
      certDir,
      ca: { certPem: pki.clientCA.certPem, keyPem: pki.clientCA.keyPem! },
      name: 'admin',
      user: 'admin',
      groups,
      log: (msg) => logs.push(msg),
    });

  beforeEach(() => {
    certDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'pki-')), 'certs');
    logs = [];
  });
  afterEach(() => {
    killRunningCommands();
    rmSync(path.dirname(certDir), { recursive: true, force: true });
  });

  it('generates a CA, a serving certificate for localhost and an admin certificate, keys readable by the owner only', async () => {
    const pki = await ensure();
    const admin = await ensureAdmin(pki);

    const states = await fileStates(certDir);
    assert.deepEqual(Object.keys(states), ['admin.crt', 'admin.key', 'apiserver.crt', 'apiserver.key', 'ca.crt', 'ca.key']);
    for (const key of ['admin.key', 'apiserver.key', 'ca.key']) assert.equal(states[key].mode, 0o600, key);
    assert.equal((await fs.stat(certDir)).mode & 0o777, 0o700);
    assert.equal(states['apiserver.crt'].bytes, pki.servingCert.certPem);
    assert.equal(states['admin.key'].bytes, admin.keyPem);
    assert.equal(pki.clientCA.certPem, pki.ca.certPem, 'the CA also verifies client certificates');
    assert.deepEqual(pki.files, {
      caCert: path.join(certDir, 'ca.crt'),
      caKey: path.join(certDir, 'ca.key'),
      servingCert: path.join(certDir, 'apiserver.crt'),
      servingKey: path.join(certDir, 'apiserver.key'),
      clientCA: path.join(certDir, 'ca.crt'),
    });

    const ca = path.join(certDir, 'ca.crt');
    assert.equal(
      await openssl('verify', '-CAfile', ca, path.join(certDir, 'apiserver.crt'), path.join(certDir, 'admin.crt')),
      `${path.join(certDir, 'apiserver.crt')}: OK\n${path.join(certDir, 'admin.crt')}: OK`,
    );
    assert.match(
      await openssl('x509', '-noout', '-ext', 'subjectAltName', '-in', path.join(certDir, 'apiserver.crt')),
      /DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1$/,
    );
    assert.match(await openssl('x509', '-noout', '-ext', 'extendedKeyUsage', '-in', path.join(certDir, 'admin.crt')), /TLS Web Client Authentication/);
    assert.equal(validityDays(pki.ca.certPem), 3650);
    assert.equal(validityDays(pki.servingCert.certPem), 365);
    assert.equal(validityDays(admin.certPem), 365);
    assert.equal(logs.length, 3);
    assert.match(logs[0], /ca\.crt: not found; generated/);
  });

  it('uses the files of an earlier start without writing any of them', async () => {
    const first = await ensure();
    await ensureAdmin(first);
    const before = await fileStates(certDir);
    logs = [];

    const second = await ensure();
    const admin = await ensureAdmin(second);

    assert.deepEqual(changedFiles(before, await fileStates(certDir)), []);
    assert.deepEqual(logs, []);
    assert.equal(second.servingCert.keyPem, before['apiserver.key'].bytes);
    assert.equal(admin.certPem, before['admin.crt'].bytes);
  });

  it('generates only the serving certificate and key again when apiserver.key is gone', async () => {
    const first = await ensure();
    await ensureAdmin(first);
    const before = await fileStates(certDir);
    await fs.unlink(path.join(certDir, 'apiserver.key'));
    logs = [];

    const second = await ensure();
    await ensureAdmin(second);

    assert.deepEqual(changedFiles(before, await fileStates(certDir)), ['apiserver.crt', 'apiserver.key']);
    assert.deepEqual(logs, [`${path.join(certDir, 'apiserver.crt')}: the private key is missing; generated a new certificate and key`]);
    assert.ok(new X509Certificate(second.servingCert.certPem).verify(new X509Certificate(second.ca.certPem).publicKey));
  });

  it('generates the serving certificate again when it does not cover a requested host', async () => {
    await ensure();
    logs = [];

    const pki = await ensure({ hosts: ['localhost', '127.0.0.1', '::1', 'apiserver.example.com', '10.0.0.7'] });

    assert.equal(logs.length, 1);
    assert.match(logs[0], /apiserver\.crt: not valid for host apiserver\.example\.com; generated/);
    assert.match(
      await openssl('x509', '-noout', '-ext', 'subjectAltName', '-in', pki.files.servingCert),
      /DNS:apiserver\.example\.com, IP Address:10\.0\.0\.7$/,
    );
  });

  it('generates an expired serving certificate again', async () => {
    const pki = await ensure();
    const expired = await createCertificate(
      { usage: 'server', commonName: 'apiserver-kit', hosts: ['localhost'], validDays: 365, notBefore: new Date(Date.now() - 400 * DAY_MS) },
      { certPem: pki.ca.certPem, keyPem: pki.ca.keyPem! },
    );
    await fs.writeFile(pki.files.servingCert, expired.certPem);
    await fs.writeFile(pki.files.servingKey, expired.keyPem);
    logs = [];

    const renewed = await ensure();

    assert.equal(logs.length, 1);
    assert.match(logs[0], /apiserver\.crt: expired on \d{4}-\d\d-\d\dT.*; generated/);
    assert.ok(Date.parse(new X509Certificate(renewed.servingCert.certPem).validTo) > Date.now());
  });

  it('generates a new CA when ca.key is gone, and everything it signed again', async () => {
    const first = await ensure();
    await ensureAdmin(first);
    const before = await fileStates(certDir);
    await fs.unlink(path.join(certDir, 'ca.key'));
    logs = [];

    const second = await ensure();
    await ensureAdmin(second);

    assert.deepEqual(changedFiles(before, await fileStates(certDir)), [
      'admin.crt',
      'admin.key',
      'apiserver.crt',
      'apiserver.key',
      'ca.crt',
      'ca.key',
    ]);
    assert.match(logs[0], /ca\.crt: the private key is missing/);
    assert.match(logs[1], /apiserver\.crt: not signed by the CA "CN=apiserver-kit-ca"/);
    assert.match(logs[2], /admin\.crt: not signed by the CA/);
  });

  it('issues the admin certificate again when the requested groups change', async () => {
    const pki = await ensure();
    await ensureAdmin(pki, ['system:masters']);
    logs = [];

    const admin = await ensureAdmin(pki, ['system:masters', 'operators']);

    assert.equal(logs.length, 1);
    assert.match(logs[0], /admin\.crt: issued to "CN=admin, O=system:masters", not to "CN=admin, O=system:masters, O=operators"; generated/);
    assert.equal(new X509Certificate(admin.certPem).subject, 'CN=admin\nO=system:masters\nO=operators');
  });

  it("serves with the user's certificate and key and generates nothing for serving", async () => {
    const userDir = path.dirname(certDir);
    const userCert = path.join(userDir, 'user.crt');
    const userKey = path.join(userDir, 'user.key');
    await openssl(
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=my-apiserver',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', userKey, '-out', userCert,
    );

    const pki = await ensureServingCertificates({ certDir, tlsCertFile: userCert, tlsPrivateKeyFile: userKey });

    assert.equal(pki.servingCert.certPem, await fs.readFile(userCert, 'utf8'));
    assert.equal(pki.ca.certPem, pki.servingCert.certPem, 'a lone self-signed certificate is its own trust anchor');
    assert.equal(pki.ca.keyPem, undefined);
    assert.deepEqual((await fs.readdir(certDir)).sort(), ['ca.crt', 'ca.key'], 'only the client CA is generated');
    assert.equal(pki.files.servingCert, userCert);

    const withClientCA = await ensureServingCertificates({
      certDir: path.join(userDir, 'unused'),
      tlsCertFile: userCert,
      tlsPrivateKeyFile: userKey,
      clientCAFile: userCert,
    });
    assert.equal(existsSync(path.join(userDir, 'unused')), false);
    assert.equal(withClientCA.clientCA.keyPem, undefined);
    assert.equal(withClientCA.files.clientCA, userCert);
  });

  it('refuses a user certificate whose key does not belong to it', async () => {
    const pki = await ensure();
    await assert.rejects(
      ensureServingCertificates({ certDir, tlsCertFile: pki.files.servingCert, tlsPrivateKeyFile: pki.files.caKey }),
      /cannot serve with .*apiserver\.crt and .*ca\.key: the private key does not belong to the certificate/,
    );
  });

  describe('with a TLS server that requires client certificates', () => {
    let server: https.Server | undefined;

    afterEach(async () => {
      killRunningCommands();
      server?.closeAllConnections();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
      server = undefined;
    });

    it('lets real kubectl in with nothing but the written kubeconfig, as CN=admin in O=system:masters', async () => {
      const pki = await ensure();
      const admin = await ensureAdmin(pki);
      const requests: Array<{ url?: string; CN?: string | string[]; O?: string | string[] }> = [];
      server = https.createServer(
        { cert: pki.servingCert.certPem, key: pki.servingCert.keyPem, ca: pki.clientCA.certPem, requestCert: true, rejectUnauthorized: true },
        (req, res) => {
          const subject = (req.socket as TLSSocket).getPeerCertificate().subject;
          requests.push({ url: req.url, CN: subject.CN, O: subject.O });
          res.writeHead(req.url === '/healthz' ? 200 : 404, { 'content-type': 'text/plain' });
          res.end(req.url === '/healthz' ? 'ok' : 'not found');
        },
      );
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const kubeconfig = path.join(path.dirname(certDir), 'admin.kubeconfig');
      await writeKubeconfig(kubeconfig, {
        server: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        caPem: pki.ca.certPem,
        clientCertPem: admin.certPem,
        clientKeyPem: admin.keyPem,
      });

      const result = await runCommand(KUBECTL, ['--kubeconfig', kubeconfig, 'get', '--raw', '/healthz'], {
        env: { PATH: process.env.PATH, HOME: path.dirname(certDir) },
      });

      assert.equal(result.stderr, '');
      assert.equal(result.stdout, 'ok');
      assert.equal(result.code, 0);
      // /usr/bin/kubectl is a version dispatcher: it asks /version first, then runs the command.
      assert.deepEqual(requests.find((r) => r.url === '/healthz'), { url: '/healthz', CN: 'admin', O: 'system:masters' });
      assert.equal((await fs.stat(kubeconfig)).mode & 0o777, 0o600);
    });
  });
});
