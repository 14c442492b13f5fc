/**
 * The aggregation story end to end, as separate processes with their own TLS
 * identities: the example core cluster (examples/core-cluster, RBAC, the same
 * server as `apiserver-kit aggregator`) and `apiserver-kit serve --aggregated`
 * with only the nginx sample group, which takes its front-proxy settings from the
 * core cluster's authentication ConfigMap and asks the core cluster for every
 * authorization decision. kubectl talks to the core cluster only. Deleting a
 * namespace in the core cluster deletes its Upstreams in the extension server, and
 * waits for the extension server while it is stopped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { createCertificate } from '../../src/framework/server/pki/create-certificate';
import { startCLI, startScript, type CLIProcess } from '../support/cli-process';
import { clusterOf, newCA, newClientCertificate, tlsRequest, writeKubeconfigFor, type CertKeyPair } from '../support/credentials';
import { freeLoopbackPort } from '../support/etcd';
import { eventually, kubectl, runKubectl, startKubectl } from '../support/kubectl';
import { NGINX_IDENTITY, NGINX_SERVICE, nginxAPIServiceYAML } from './nginx-apiservice.fixture';

const EXAMPLE = path.resolve(__dirname, '../../examples/core-cluster/server.js');
const SERVICE = NGINX_SERVICE;
const IDENTITY = NGINX_IDENTITY;
const UPSTREAMS = '/apis/nginx.example.com/v1/namespaces/default/upstreams';

const upstream = (name: string, port: number, namespace = 'default') =>
  YAML.stringify({ apiVersion: 'nginx.example.com/v1', kind: 'Upstream', metadata: { name, namespace }, spec: { servers: [{ address: '127.0.0.1', port }] } });

interface NamespaceConditions {
  status: { phase: string; conditions?: { type: string; status: string; reason: string; message: string }[] };
}

describe('e2e: the example core cluster in front of apiserver-kit serve --aggregated, as separate processes', function () {
  this.timeout(120_000);
  let workDir: string;
  let core: CLIProcess | undefined;
  let extension: CLIProcess | undefined;
  let kubeconfig: string;
  let carolKubeconfig: string;
  let extensionCluster: { server: string; caPem: string };
  let frontProxy: CertKeyPair;
  let startExtension: () => Promise<void>;

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'aggregation-'));
    const coreDir = path.join(workDir, 'core');
    const extensionPort = await freeLoopbackPort();
    core = startScript(EXAMPLE, ['--secure-port', '0', '--data-dir', coreDir, '--service-endpoint', `${SERVICE.namespace}/${SERVICE.name}=127.0.0.1:${extensionPort}`]);
    await eventually(() => assert.match(core!.output(), /ready: serving on https:/), 30_000, 100);
    kubeconfig = path.join(coreDir, 'admin.kubeconfig');
    const pki = (file: string) => readFileSync(path.join(coreDir, 'pki', file), 'utf8');
    const coreCA = { certPem: pki('ca.crt'), keyPem: pki('ca.key') };
    frontProxy = { certPem: pki('front-proxy-client.crt'), keyPem: pki('front-proxy-client.key') };

    // The extension server's identity in the core cluster and the bindings `apiserver-kit manifests` prints.
    const coreCluster = clusterOf(kubeconfig);
    const extensionKubeconfig = writeKubeconfigFor(coreCluster, path.join(workDir, 'extension.kubeconfig'), { cert: await newClientCertificate(coreCA, IDENTITY) });
    carolKubeconfig = writeKubeconfigFor(coreCluster, path.join(workDir, 'carol.kubeconfig'), { cert: await newClientCertificate(coreCA, 'carol') });
    const sa = `--serviceaccount=${SERVICE.namespace}:${SERVICE.name}`;
    await k(['create', 'rolebinding', 'nginx-api-auth-reader', '-n', 'kube-system', '--role=extension-apiserver-authentication-reader', sa]);
    await k(['create', 'clusterrolebinding', 'nginx-api-auth-delegator', '--clusterrole=system:auth-delegator', sa]);
    await k(['create', 'clusterrole', 'nginx-api-namespaces', '--verb=get,list,watch', '--resource=namespaces']);
    await k(['create', 'clusterrolebinding', 'nginx-api-namespaces', '--clusterrole=nginx-api-namespaces', sa]);

    const servingCA = await newCA('nginx-api-ca');
    const serving = await createCertificate({ usage: 'server', commonName: 'nginx-api', hosts: [`${SERVICE.name}.${SERVICE.namespace}.svc`, '127.0.0.1'], validDays: 1 }, servingCA);
    writeFileSync(path.join(workDir, 'serving.crt'), serving.certPem + servingCA.certPem);
    writeFileSync(path.join(workDir, 'serving.key'), serving.keyPem);
    extensionCluster = { server: `https://127.0.0.1:${extensionPort}`, caPem: servingCA.certPem };
    const args = [
      'serve', '--aggregated', '--nginx-controller=false', '--groups', 'nginx.example.com',
      '--secure-port', String(extensionPort), '--data-dir', path.join(workDir, 'extension'),
      '--tls-cert-file', path.join(workDir, 'serving.crt'), '--tls-private-key-file', path.join(workDir, 'serving.key'),
      '--authentication-kubeconfig', extensionKubeconfig, '--authorization-kubeconfig', extensionKubeconfig, '--authorization-mode', 'Webhook',
    ];
    startExtension = async () => {
      extension = startCLI(args);
      await eventually(() => assert.match(extension!.output(), /ready: serving on https:/), 30_000, 100);
    };
    await startExtension();
    await k(['apply', '-f', '-'], nginxAPIServiceYAML(servingCA.certPem));
  });

  after(() => {
    extension?.kill();
    core?.kill();
    rmSync(workDir, { recursive: true, force: true });
  });

  function k(args: string[], input?: string): Promise<string> {
    return kubectl(args, { kubeconfig, input });
  }
  const availability = () => k(['get', 'apiservice', 'v1.nginx.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}']);
  /** Straight to the extension server, as the front proxy naming `user`. */
  const asFrontProxy = (user: string, method = 'GET', requestPath = UPSTREAMS) =>
    tlsRequest(extensionCluster, requestPath, { method, cert: frontProxy, headers: { 'X-Remote-User': user, 'X-Remote-Group': 'system:authenticated' } });
  /** The names of the Upstreams the extension server itself holds in `namespace`. */
  const upstreamsInExtension = async (namespace: string) => {
    const res = await tlsRequest(extensionCluster, `/apis/nginx.example.com/v1/namespaces/${namespace}/upstreams`, { cert: frontProxy, headers: { 'X-Remote-User': 'admin', 'X-Remote-Group': 'system:masters' } });
    assert.equal(res.status, 200);
    return (res.json().items as { metadata: { name: string } }[]).map((u) => u.metadata.name);
  };
  const namespaceGone = async (name: string) => assert.match((await runKubectl(['get', 'namespace', name], { kubeconfig })).stderr, /not found/);

  it('lists nginx.example.com in discovery and serves Upstreams through the core cluster: create, get, list, watch, patch, delete', async () => {
    await eventually(async () => assert.equal(await availability(), 'True'), 15_000);
    assert.match(await k(['api-versions']), /^nginx\.example\.com\/v1$/m);
    assert.match(await k(['api-resources', '--api-group', 'nginx.example.com']), /^upstreams\s+.*nginx\.example\.com\/v1\s+true\s+Upstream$/m);
    const watch = startKubectl(['get', 'upstreams', '-n', 'default', '-w', '--output-watch-events', '-o', 'custom-columns=EVENT:.type,NAME:.object.metadata.name,PORT:.object.spec.servers[0].port'], { kubeconfig });
    try {
      await k(['create', '-f', '-'], upstream('web', 19081));
      assert.equal(await k(['get', 'upstream', 'web', '-n', 'default', '-o', 'jsonpath={.spec.servers[0].port}']), '19081');
      assert.match(await k(['get', 'upstreams', '-A']), /^default\s+web\s/m);
      await k(['patch', 'upstream', 'web', '-n', 'default', '--type', 'merge', '-p', '{"spec":{"servers":[{"address":"127.0.0.1","port":19082}]}}']);
      assert.equal(await k(['get', 'upstream', 'web', '-n', 'default', '-o', 'jsonpath={.spec.servers[0].port}']), '19082');
      await k(['delete', 'upstream', 'web', '-n', 'default']);
      assert.equal(await k(['get', 'upstreams', '-n', 'default', '-o', 'name']), '');
      await eventually(() => {
        const events = watch.output().trim().split('\n').slice(1).map((line) => line.split(/\s+/).join(' '));
        assert.deepEqual(events, ['ADDED web 19081', 'MODIFIED web 19082', 'DELETED web 19082']);
      });
    } finally {
      watch.stop();
    }
  });

  it("refuses what RBAC does not grant, the extension server deciding by the core cluster's SubjectAccessReview", async () => {
    await k(['create', '-f', '-'], upstream('shared', 19083));
    const asCarol = (args: string[]) => runKubectl(args, { kubeconfig: carolKubeconfig });
    assert.match((await asCarol(['get', 'upstreams', '-n', 'default'])).stderr, /Forbidden.*User "carol" cannot list resource "upstreams"/);
    await k(['create', 'clusterrole', 'upstream-reader', '--verb=get,list', '--resource=upstreams.nginx.example.com']);
    await k(['create', 'clusterrolebinding', 'carol-reads-upstreams', '--clusterrole=upstream-reader', '--user=carol']);
    await eventually(async () => assert.match((await asCarol(['get', 'upstreams', '-n', 'default'])).stdout, /^shared\s/m));
    assert.match((await asCarol(['delete', 'upstream', 'shared', '-n', 'default'])).stderr, /Forbidden.*User "carol" cannot delete resource "upstreams"/);
    // The extension server on its own: the front proxy vouches for carol, the core cluster's review decides.
    assert.equal((await asFrontProxy('carol')).status, 200);
    const denied = await asFrontProxy('carol', 'DELETE', `${UPSTREAMS}/shared`);
    assert.equal(denied.status, 403);
    assert.match(denied.json().message, /upstreams\.nginx\.example\.com "shared" is forbidden: User "carol" cannot delete resource "upstreams" in API group "nginx\.example\.com" in the namespace "default"/);
    assert.equal((await asFrontProxy('mallory')).status, 403);
    assert.equal(await k(['get', 'upstream', 'shared', '-n', 'default', '-o', 'name']), 'upstream.nginx.example.com/shared\n');
  });

  it('refuses forged X-Remote-User headers sent straight to the extension server without the front-proxy client certificate', async () => {
    const forged = { 'X-Remote-User': 'admin', 'X-Remote-Group': 'system:masters' };
    assert.equal((await tlsRequest(extensionCluster, UPSTREAMS, { headers: forged })).status, 401);
    const impostor = await newClientCertificate(await newCA('front-proxy-ca'), 'front-proxy-client');
    assert.equal((await tlsRequest(extensionCluster, UPSTREAMS, { headers: forged, cert: impostor })).status, 401);
    const create = await tlsRequest(extensionCluster, UPSTREAMS, { headers: forged, body: { apiVersion: 'nginx.example.com/v1', kind: 'Upstream', metadata: { name: 'forged' } } });
    assert.equal(create.status, 401);
    assert.match((await runKubectl(['get', 'upstream', 'forged', '-n', 'default'], { kubeconfig })).stderr, /not found/);
  });

  it('turns the APIService Available=False and its requests into 503 while the extension server is stopped, and back', async () => {
    process.kill(extension!.child.pid as number, 'SIGTERM');
    assert.equal(await extension!.exited, 0);
    // A request that cannot reach the server has the core cluster probe it at once.
    const down = await runKubectl(['get', '--raw', UPSTREAMS], { kubeconfig });
    assert.match(down.stderr, /ServiceUnavailable|the server is currently unable to handle the request/);
    await eventually(async () => assert.equal(await availability(), 'False'), 5_000);
    const unavailable = await runKubectl(['get', '--raw', UPSTREAMS], { kubeconfig });
    assert.match(unavailable.stderr, /the server is currently unable to handle the request/);
    assert.match(await k(['get', 'namespaces']), /^kube-system\s+Active/m);
    await startExtension();
    await eventually(async () => assert.equal(await availability(), 'True'), 15_000);
    assert.equal(await k(['get', 'upstreams', '-n', 'default', '-o', 'name']), 'upstream.nginx.example.com/shared\n');
  });

  it('deletes a namespace\'s Upstreams in the extension server before the namespace goes, and waits with NamespaceDeletionDiscoveryFailure while the extension server is stopped', async () => {
    await eventually(async () => assert.equal(await availability(), 'True'), 15_000);
    await k(['create', 'namespace', 'shop']);
    await k(['create', '-f', '-'], [upstream('cart', 19084, 'shop'), upstream('checkout', 19085, 'shop')].join('---\n'));
    assert.deepEqual(await upstreamsInExtension('shop'), ['cart', 'checkout']);
    assert.equal(await k(['delete', 'namespace', 'shop', '--timeout=30s']), 'namespace "shop" deleted\n');
    await namespaceGone('shop');
    assert.deepEqual(await upstreamsInExtension('shop'), []);

    await k(['create', 'namespace', 'outage']);
    await k(['create', '-f', '-'], upstream('pool', 19086, 'outage'));
    process.kill(extension!.child.pid as number, 'SIGTERM');
    assert.equal(await extension!.exited, 0);
    await runKubectl(['get', '--raw', UPSTREAMS], { kubeconfig });
    await eventually(async () => assert.equal(await availability(), 'False'), 5_000);
    await k(['delete', 'namespace', 'outage', '--wait=false']);
    await eventually(async () => {
      const ns = JSON.parse(await k(['get', 'namespace', 'outage', '-o', 'json'])) as NamespaceConditions;
      assert.equal(ns.status.phase, 'Terminating');
      const discovery = ns.status.conditions?.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure');
      assert.equal(discovery?.status, 'True');
      assert.equal(discovery.reason, 'DiscoveryFailed');
      assert.match(
        discovery.message,
        /^Discovery failed for some groups, 1 failing: unable to retrieve the complete list of server APIs: nginx\.example\.com\/v1: the server is currently unable to handle the request \(v1\.nginx\.example\.com is not available: /,
      );
    }, 15_000, 200);
    // Still there a while later: nothing finalizes the namespace while its content may live on.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(await k(['get', 'namespace', 'outage', '-o', 'jsonpath={.status.phase}']), 'Terminating');

    await startExtension();
    await eventually(() => namespaceGone('outage'), 30_000, 200);
    assert.deepEqual(await upstreamsInExtension('outage'), []);
  });
});
