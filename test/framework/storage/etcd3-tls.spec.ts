import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCertificate, type CertKeyPair } from '../../../src/framework/server/pki/create-certificate';
import { isStorageError } from '../../../src/framework/storage/errors';
import { newEtcd3Storage } from '../../../src/framework/storage/etcd3';
import type { StorageInterface } from '../../../src/framework/storage/interface';
import { startEtcd, type EtcdProcess } from '../../support/etcd';

describe('etcd3 over TLS with client certificates', function () {
  this.timeout(60_000);
  let dir: string;
  let etcd: EtcdProcess;
  const files: Record<string, string> = {};
  const opened: StorageInterface[] = [];

  /** Writes a certificate and key as <name>.crt and <name>.key. */
  function writePair(name: string, pair: CertKeyPair): void {
    files[`${name}Cert`] = path.join(dir, `${name}.crt`);
    files[`${name}Key`] = path.join(dir, `${name}.key`);
    writeFileSync(files[`${name}Cert`], pair.certPem);
    writeFileSync(files[`${name}Key`], pair.keyPem, { mode: 0o600 });
  }

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'apiserver-kit-etcd-tls-'));
    const [ca, otherCA] = await Promise.all([
      createCertificate({ usage: 'ca', commonName: 'etcd-ca', validDays: 1 }),
      createCertificate({ usage: 'ca', commonName: 'someone-else-ca', validDays: 1 }),
    ]);
    const [server, client, stranger] = await Promise.all([
      createCertificate({ usage: 'server', commonName: 'etcd', hosts: ['127.0.0.1', 'localhost'], validDays: 1 }, ca),
      createCertificate({ usage: 'client', commonName: 'apiserver-etcd-client', validDays: 1 }, ca),
      createCertificate({ usage: 'client', commonName: 'stranger', validDays: 1 }, otherCA),
    ]);
    writePair('ca', ca);
    writePair('server', server);
    writePair('client', client);
    writePair('stranger', stranger);
    etcd = await startEtcd({ tls: { certFile: files.serverCert, keyFile: files.serverKey, trustedCAFile: files.caCert } });
  });

  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close();
  });

  after(async () => {
    await etcd?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  function storage(tls: { caFile?: string; certFile?: string; keyFile?: string }): StorageInterface {
    const s = newEtcd3Storage({ servers: [etcd.endpoint], tls, compactionIntervalMs: 0, healthCheckTimeoutMs: 3000 });
    opened.push(s);
    return s;
  }

  it('reads, writes and watches with a client certificate signed by the CA etcd trusts', async () => {
    assert.match(etcd.endpoint, /^https:/);
    const s = storage({ caFile: files.caCert, certFile: files.clientCert, keyFile: files.clientKey });
    await s.healthCheck();
    const created = await s.create('/things/default/a', { metadata: { name: 'a', namespace: 'default' }, spec: { secure: true } });
    const watcher = await s.watch('/things/', { recursive: true });
    const iterator = watcher[Symbol.asyncIterator]();
    assert.deepEqual((await iterator.next()).value, { type: 'ADDED', object: created });
    watcher.stop();
  });

  it('is refused by etcd without a client certificate or with one from another CA', async () => {
    for (const tls of [{ caFile: files.caCert }, { caFile: files.caCert, certFile: files.strangerCert, keyFile: files.strangerKey }]) {
      const s = storage(tls);
      await assert.rejects(s.healthCheck(), (err) => isStorageError(err, 'Unavailable'));
    }
  });

  it('refuses a client certificate without its key before connecting', () => {
    assert.throws(() => newEtcd3Storage({ servers: [etcd.endpoint], tls: { caFile: files.caCert, certFile: files.clientCert } }), /certificate and key must be given together/);
  });
});
