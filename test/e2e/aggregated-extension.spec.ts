/**
 * An extension server run as in a real cluster: `apiserver-kit serve --aggregated`
 * with only --authentication-kubeconfig and --authorization-kubeconfig (no
 * --requestheader-* flags), behind a core cluster with RBAC that publishes
 * kube-system/extension-apiserver-authentication. The extension server takes the
 * front proxy's settings from that ConfigMap and follows its changes, says which
 * RoleBinding is missing when it may not read it, delegates authorization, and
 * checks namespaces against the core cluster's.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { coreClusterGroups, staticServiceResolver } from '../../src/framework/aggregator';
import { createCertificate } from '../../src/framework/server/pki/create-certificate';
import { ensureFrontProxyCertificates } from '../../src/framework/server/pki/front-proxy';
import { startCLI, type CLIProcess } from '../support/cli-process';
import { clusterOf, newCA, newClientCertificate, tlsRequest, writeKubeconfigFor, type CertKeyPair, type TLSRequest } from '../support/credentials';
import { freeLoopbackPort } from '../support/etcd';
import { eventually, kubectl, runKubectl, startKubectl } from '../support/kubectl';
import { startTestServer, type TestServer } from './server-harness';
import { NGINX_IDENTITY, NGINX_SERVICE, nginxAPIServiceYAML } from './nginx-apiservice.fixture';

const SERVICE = NGINX_SERVICE;
const IDENTITY = NGINX_IDENTITY;
const UPSTREAMS = '/apis/nginx.example.com/v1/namespaces/default/upstreams';
const CONFIGMAP = ['configmap', 'extension-apiserver-authentication', '-n', 'kube-system'];

const upstream = (name: string, namespace: string) =>
  YAML.stringify({ apiVersion: 'nginx.example.com/v1', kind: 'Upstream', metadata: { name, namespace }, spec: { servers: [{ address: '127.0.0.1', port: 19090 }] } });

/** The CA names the server asks client certificates from in its TLS handshake, as openssl prints them. */
function acceptableClientCANames(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${port}`], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 10_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      resolve(/Acceptable client certificate CA names\n([\s\S]*?)\n[A-Z][a-z]/.exec(out)?.[1] ?? '');
    });
  });
}

describe('e2e: serve --aggregated takes its authentication settings and namespaces from the core cluster', function () {
  this.timeout(120_000);
  let workDir: string;
  let core: TestServer;
  let extension: CLIProcess | undefined;
  let extensionArgs: string[];
  let port: number;
  let frontProxy: CertKeyPair;
  let servingCA: CertKeyPair;
  let coreCA: CertKeyPair;
  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: core.kubeconfig, input });
  /** A request straight to the extension server, bypassing the core cluster. */
  const direct = (requestPath: string, req: TLSRequest = {}) => tlsRequest({ server: `https://127.0.0.1:${port}`, caPem: servingCA.certPem }, requestPath, req);
  const asFrontProxy = (user: string, groups: string[] = [], cert = frontProxy): TLSRequest => ({ cert, headers: { 'X-Remote-User': user, 'X-Remote-Group': groups } });

  async function startExtension(extraArgs: string[] = []): Promise<CLIProcess> {
    extension = startCLI([...extensionArgs, ...extraArgs]);
    const running = extension;
    await eventually(() => {
      assert.match(running.output(), /ready: serving on https:|apiserver-kit: /);
    }, 30_000);
    assert.match(running.output(), /ready: serving on https:/);
    return running;
  }

  async function stopExtension(): Promise<void> {
    process.kill(extension!.child.pid as number, 'SIGTERM');
    assert.equal(await extension!.exited, 0);
    extension = undefined;
  }

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'aggregated-extension-'));
    const certDir = path.join(workDir, 'core-pki');
    port = await freeLoopbackPort();
    const serviceResolver = staticServiceResolver({ [`${SERVICE.namespace}/${SERVICE.name}`]: `127.0.0.1:${port}` });
    core = await startTestServer(
      'sqlite',
      (builder) => {
        // Only kubectl changes the authentication ConfigMap while the tests run.
        for (const group of coreClusterGroups({ certDir, serviceResolver, authenticationResyncIntervalMs: 30 * 60_000 })) builder.withGroup(group);
      },
      ['--cert-dir', certDir, '--authorization-mode', 'RBAC'],
    );
    frontProxy = (await ensureFrontProxyCertificates(certDir)).client;

    // The extension server's identity at the core cluster: its service account, as a certificate of the core cluster's CA.
    coreCA = { certPem: readFileSync(path.join(certDir, 'ca.crt'), 'utf8'), keyPem: readFileSync(path.join(certDir, 'ca.key'), 'utf8') };
    const coreKubeconfig = writeKubeconfigFor(clusterOf(core.kubeconfig), path.join(workDir, 'core.kubeconfig'), { cert: await newClientCertificate(coreCA, IDENTITY) });
    servingCA = await newCA('nginx-api-ca');
    const serving = await createCertificate({ usage: 'server', commonName: 'nginx-api', hosts: [`${SERVICE.name}.${SERVICE.namespace}.svc`, '127.0.0.1'], validDays: 1 }, servingCA);
    writeFileSync(path.join(workDir, 'serving.crt'), serving.certPem + servingCA.certPem);
    writeFileSync(path.join(workDir, 'serving.key'), serving.keyPem);
    extensionArgs = [
      'serve', '--aggregated', '--nginx-controller=false', '--groups', 'nginx.example.com',
      '--secure-port', String(port), '--data-dir', path.join(workDir, 'extension'),
      '--tls-cert-file', path.join(workDir, 'serving.crt'), '--tls-private-key-file', path.join(workDir, 'serving.key'),
      '--authentication-kubeconfig', coreKubeconfig, '--authorization-kubeconfig', coreKubeconfig, '--authorization-mode', 'Webhook',
    ];
  });

  after(async () => {
    extension?.kill();
    await core?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  let fix: string[];

  it('refuses to start without the RoleBinding to extension-apiserver-authentication-reader, naming it and the command that creates it', async () => {
    const refused = startCLI(extensionArgs);
    extension = refused;
    assert.equal(await refused.exited, 1);
    extension = undefined;
    const output = refused.output();
    assert.match(output, /cannot read configmap kube-system\/extension-apiserver-authentication from the core cluster: forbidden/);
    assert.match(output, /user "system:serviceaccount:nginx-system:nginx-api" needs a RoleBinding in namespace kube-system to Role extension-apiserver-authentication-reader/);
    const command = /^ {2}kubectl (create rolebinding .*)$/m.exec(output)?.[1];
    assert.equal(command, 'create rolebinding nginx-api-authentication-reader --namespace=kube-system --role=extension-apiserver-authentication-reader --serviceaccount=nginx-system:nginx-api');
    fix = command.split(' ');
  });

  it('with --authentication-tolerate-lookup-failure starts trusting no front proxy, and trusts it once the RoleBinding exists', async () => {
    const tolerant = await startExtension(['--authentication-tolerate-lookup-failure']);
    assert.match(tolerant.output(), /starting without the core cluster's authentication settings/);
    assert.equal((await direct(UPSTREAMS, asFrontProxy('admin', ['system:masters']))).status, 401);

    // What the error said, and what every extension server needs besides: delegation, and reading namespaces.
    await k(fix);
    await k(['create', 'clusterrolebinding', 'nginx-api-auth-delegator', '--clusterrole=system:auth-delegator', `--serviceaccount=${SERVICE.namespace}:${SERVICE.name}`]);
    await k(['create', 'clusterrole', 'nginx-api-namespaces', '--verb=get,list,watch', '--resource=namespaces']);
    await k(['create', 'clusterrolebinding', 'nginx-api-namespaces', '--clusterrole=nginx-api-namespaces', `--serviceaccount=${SERVICE.namespace}:${SERVICE.name}`]);
    await eventually(async () => assert.equal((await direct(UPSTREAMS, asFrontProxy('admin', ['system:masters']))).status, 200), 20_000, 250);
    await stopExtension();
  });

  it('starts with only the kubeconfigs, serves its own groups only, and serves Upstreams through the core cluster\'s front proxy: create, get, patch, delete, watch', async () => {
    await startExtension();
    const apis = (await direct('/apis', asFrontProxy('admin', ['system:masters']))).json() as { groups: { name: string }[] };
    assert.deepEqual(apis.groups.map((g) => g.name), ['nginx.example.com']);
    assert.equal((await direct('/api/v1/namespaces', asFrontProxy('admin', ['system:masters']))).status, 404);

    await k(['apply', '-f', '-'], nginxAPIServiceYAML(servingCA.certPem));
    await eventually(async () => assert.equal(await k(['get', 'apiservice', 'v1.nginx.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}']), 'True'), 15_000);
    assert.equal(await k(['create', '-f', '-'], upstream('web', 'default')), 'upstream.nginx.example.com/web created\n');
    assert.match(await k(['get', 'upstreams', '-n', 'default']), /^web\s/m);
    // kubectl watches from the resourceVersion of its first list, so no later event is missed.
    const watch = startKubectl(['get', 'upstreams', '-n', 'default', '--watch', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name}{"\\n"}'], { kubeconfig: core.kubeconfig });
    try {
      await eventually(() => assert.match(watch.output(), /^ADDED web$/m));
      await k(['patch', 'upstream', 'web', '-n', 'default', '--type=merge', '-p', '{"spec":{"servers":[{"address":"127.0.0.1","port":19091}]}}']);
      assert.equal(await k(['get', 'upstream', 'web', '-n', 'default', '-o', 'jsonpath={.spec.servers[0].port}']), '19091');
      await k(['create', '-f', '-'], upstream('brief', 'default'));
      await k(['delete', 'upstream', 'brief', '-n', 'default']);
      const events = () => watch.output().split('\n').filter(Boolean);
      await eventually(() => assert.equal(events().length, 4));
      assert.deepEqual(events(), ['ADDED web', 'MODIFIED web', 'ADDED brief', 'DELETED brief']);
    } finally {
      watch.stop();
    }
  });

  it('checks namespaces with the core cluster: missing ones are NotFound, new ones usable at once, terminating ones Forbidden', async () => {
    const missing = await runKubectl(['create', '-f', '-'], { kubeconfig: core.kubeconfig, input: upstream('lost', 'nowhere') });
    assert.equal(missing.stderr, 'Error from server (NotFound): error when creating "STDIN": namespaces "nowhere" not found\n');

    await k(['create', 'namespace', 'fresh']);
    assert.equal(await k(['create', '-f', '-'], upstream('early', 'fresh')), 'upstream.nginx.example.com/early created\n');

    // A finalizer keeps the namespace Terminating until it is removed.
    await k(['create', '-f', '-'], YAML.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'closing', finalizers: ['example.com/hold'] } }));
    await k(['delete', 'namespace', 'closing', '--wait=false']);
    await eventually(async () => {
      const terminating = await runKubectl(['create', '-f', '-'], { kubeconfig: core.kubeconfig, input: upstream('late', 'closing') });
      assert.match(terminating.stderr, /Error from server \(Forbidden\).*upstreams\.nginx\.example\.com "late" is forbidden: unable to create new content in namespace closing because it is being terminated/);
    });
    await k(['patch', 'namespace', 'closing', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  });

  it('knows the users of the core cluster\'s client CA (client-ca-file), and asks the core cluster who may do what', async () => {
    const dave = await direct(UPSTREAMS, { cert: await newClientCertificate(coreCA, 'dave', ['dev']) });
    assert.equal(dave.status, 403);
    assert.match(dave.json().message, /User "dave" cannot list resource "upstreams"/);
  });

  it('ignores X-Remote-* headers from anyone but the front proxy, and asks the core cluster who may do what', async () => {
    const denied = await direct(UPSTREAMS, asFrontProxy('bob', ['dev']));
    assert.equal(denied.status, 403);
    assert.match(denied.json().message, /User "bob" cannot list resource "upstreams" in API group "nginx.example.com" in the namespace "default"/);
    await k(['create', 'clusterrole', 'upstream-reader', '--verb=list', '--resource=upstreams.nginx.example.com']);
    await k(['create', 'clusterrolebinding', 'carol-reads-upstreams', '--clusterrole=upstream-reader', '--user=carol']);
    assert.equal((await direct(UPSTREAMS, asFrontProxy('carol'))).status, 200);

    const forged = { headers: { 'X-Remote-User': 'admin', 'X-Remote-Group': 'system:masters' } };
    assert.equal((await direct(UPSTREAMS, forged)).status, 401);
    const impostor = await newClientCertificate(await newCA('front-proxy-ca'), 'front-proxy-client');
    assert.equal((await direct(UPSTREAMS, asFrontProxy('admin', ['system:masters'], impostor))).status, 401);
  });

  it('follows the ConfigMap as it is replaced in the core cluster: a rotated CA (also in the TLS handshake) and changed allowed names', async () => {
    const original = JSON.parse(await k(['get', ...CONFIGMAP, '-o', 'json'])) as { data: Record<string, string> };
    const replace = (data: Record<string, string>) => k(['replace', '-f', '-'], JSON.stringify({ ...original, metadata: { name: 'extension-apiserver-authentication', namespace: 'kube-system' }, data }));
    const rotatedCA = await newCA('rotated-front-proxy-ca');
    const rotatedProxy = await newClientCertificate(rotatedCA, 'front-proxy-client');
    assert.equal((await direct(UPSTREAMS, asFrontProxy('admin', ['system:masters'], rotatedProxy))).status, 401);
    assert.doesNotMatch(await acceptableClientCANames(port), /rotated-front-proxy-ca/);

    // Rotation: the new CA joins the bundle, and both proxies are trusted.
    await replace({ ...original.data, 'requestheader-client-ca-file': original.data['requestheader-client-ca-file'] + rotatedCA.certPem });
    await eventually(async () => assert.equal((await direct(UPSTREAMS, asFrontProxy('admin', ['system:masters'], rotatedProxy))).status, 200));
    assert.match(await acceptableClientCANames(port), /rotated-front-proxy-ca/);
    assert.match(await k(['get', 'upstreams', '-n', 'default', '-o', 'name']), /^upstream\.nginx\.example\.com\/web$/m);

    // Allowed names that exclude the front proxy: its requests are refused, through the core cluster too.
    await replace({ ...original.data, 'requestheader-allowed-names': '["someone-else"]' });
    await eventually(async () => assert.equal((await direct(UPSTREAMS, asFrontProxy('admin', ['system:masters']))).status, 401));
    const refused = await runKubectl(['get', 'upstreams', '-n', 'default'], { kubeconfig: core.kubeconfig });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /Unauthorized/);

    await replace(original.data);
    await eventually(async () => assert.match(await k(['get', 'upstreams', '-n', 'default', '-o', 'name']), /^upstream\.nginx\.example\.com\/web$/m));
    assert.doesNotMatch(await acceptableClientCANames(port), /rotated-front-proxy-ca/);
  });
});
