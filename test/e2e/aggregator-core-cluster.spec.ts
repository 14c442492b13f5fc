/**
 * The core cluster's side of trust for the servers behind it, with kubectl:
 * `kube-system/extension-apiserver-authentication` carries the client CA and the
 * front proxy's request-header settings as kube-apiserver writes them, follows a
 * rotated CA file and comes back when deleted; RBAC has the roles aggregated
 * servers are bound to. `apiserver-kit aggregator` is the same core cluster.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { coreClusterGroups } from '../../src/framework/aggregator';
import { createCertificate } from '../../src/framework/server/pki/create-certificate';
import { startCLI } from '../support/cli-process';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { startTestServer, type TestServer } from './server-harness';

describe('e2e: core cluster authentication ConfigMap and roles for aggregated servers', function () {
  this.timeout(60_000);
  let workDir: string;
  let certDir: string;
  let core: TestServer;
  const k = (args: string[]) => kubectl(args, { kubeconfig: core.kubeconfig });
  const configMapData = async () =>
    (JSON.parse(await k(['get', 'configmap', 'extension-apiserver-authentication', '-n', 'kube-system', '-o', 'json'])) as { data: Record<string, string> }).data;

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'core-cluster-'));
    certDir = path.join(workDir, 'pki');
    core = await startTestServer('sqlite', (b) => {
      for (const group of coreClusterGroups({ certDir, authenticationResyncIntervalMs: 300 })) b.withGroup(group);
    }, ['--cert-dir', certDir, '--authorization-mode', 'RBAC']);
  });

  after(async () => {
    await core?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('publishes the client CA and the front proxy settings with the keys kube-apiserver writes', async () => {
    assert.deepEqual(await configMapData(), {
      'client-ca-file': readFileSync(path.join(certDir, 'ca.crt'), 'utf8'),
      'requestheader-client-ca-file': readFileSync(path.join(certDir, 'front-proxy-ca.crt'), 'utf8'),
      'requestheader-allowed-names': '["front-proxy-client"]',
      'requestheader-username-headers': '["X-Remote-User"]',
      'requestheader-group-headers': '["X-Remote-Group"]',
      'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
      'requestheader-uid-headers': '["X-Remote-Uid"]',
    });
  });

  it('follows a rotated front-proxy CA bundle, and writes the ConfigMap again when it is deleted', async () => {
    const next = await createCertificate({ usage: 'ca', commonName: 'front-proxy-ca-next', validDays: 1 });
    appendFileSync(path.join(certDir, 'front-proxy-ca.crt'), next.certPem);
    await eventually(async () => assert.ok((await configMapData())['requestheader-client-ca-file'].endsWith(next.certPem)), 10_000, 200);
    await k(['delete', 'configmap', 'extension-apiserver-authentication', '-n', 'kube-system']);
    await eventually(async () => assert.ok((await configMapData())['requestheader-client-ca-file'].endsWith(next.certPem)), 10_000, 200);
  });

  it('has the roles an aggregated server is bound to: the ConfigMap reader and system:auth-delegator', async () => {
    const can = (args: string[]) => kubectl(['auth', 'can-i', ...args, '--as', 'system:serviceaccount:nginx-system:nginx-api'], { kubeconfig: core.kubeconfig }).catch((err: Error) => err.message);
    const readConfigMap = ['get', 'configmap/extension-apiserver-authentication', '-n', 'kube-system'];
    assert.match(await can(readConfigMap), /no/);
    await k(['create', 'rolebinding', 'nginx-api-auth-reader', '-n', 'kube-system', '--role', 'extension-apiserver-authentication-reader', '--serviceaccount', 'nginx-system:nginx-api']);
    await k(['create', 'clusterrolebinding', 'nginx-api-auth-delegator', '--clusterrole', 'system:auth-delegator', '--serviceaccount', 'nginx-system:nginx-api']);
    await eventually(async () => assert.equal((await can(readConfigMap)).trim(), 'yes'));
    assert.equal((await can(['watch', 'configmap/extension-apiserver-authentication', '-n', 'kube-system'])).trim(), 'yes');
    assert.match(await can(['get', 'configmap/other', '-n', 'kube-system']), /no/);
    assert.match(await can(['delete', 'configmap/extension-apiserver-authentication', '-n', 'kube-system']), /no/);
    assert.equal((await can(['create', 'tokenreviews.authentication.k8s.io'])).trim(), 'yes');
    assert.equal((await can(['create', 'subjectaccessreviews.authorization.k8s.io'])).trim(), 'yes');
    assert.match(await can(['list', 'namespaces']), /no/);
  });

  it('is what apiserver-kit aggregator serves, authorizing with RBAC unless told otherwise', async () => {
    const dataDir = path.join(workDir, 'cli');
    const cli = startCLI(['aggregator', '--secure-port', '0', '--data-dir', dataDir]);
    try {
      await eventually(() => assert.match(cli.output(), /ready: serving on https:/), 30_000, 100);
      const admin = { kubeconfig: path.join(dataDir, 'admin.kubeconfig') };
      assert.match(await kubectl(['get', 'configmap', 'extension-apiserver-authentication', '-n', 'kube-system', '-o', 'name'], admin), /^configmap\/extension-apiserver-authentication$/m);
      assert.match(await kubectl(['get', 'clusterrole', 'system:auth-delegator', '-o', 'name'], admin), /system:auth-delegator/);
      assert.match(await kubectl(['get', 'apiservices'], admin), /^v1\.apiregistration\.k8s\.io\s+Local\s+True\s/m);
      const stranger = await runKubectl(['auth', 'can-i', 'list', 'configmaps', '--as', 'stranger'], admin);
      assert.equal(stranger.stdout.trim(), 'no');
    } finally {
      cli.kill();
    }
  });
});
