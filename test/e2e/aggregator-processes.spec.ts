/**
 * The aggregation story end to end, as two commands a user runs: `apiserver-kit
 * aggregator` as the core cluster and `apiserver-kit serve` with only the nginx
 * sample group as the extension server, each a process with its own TLS identity.
 * The extension server trusts the core cluster's front proxy and asks it for every
 * authorization decision; kubectl talks to the core cluster only.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { createCertificate } from '../../src/framework/server/pki/create-certificate';
import { eventually, kubectl, runKubectl } from '../support/kubectl';

const CLI = path.resolve(__dirname, '../../src/cli.js');
const SERVICE = { namespace: 'nginx-system', name: 'nginx-api' };

interface Process {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(args: string[]): Process {
  const child = spawn(process.execPath, [CLI, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  return { child, output: () => out, exited: new Promise((resolve) => child.on('close', resolve)) };
}

function kill(p: Process | undefined): void {
  try {
    if (p?.child.pid) process.kill(-p.child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function ready(p: Process): Promise<void> {
  await eventually(() => assert.match(p.output(), /ready: serving on https:/), 30_000, 100);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const upstream = (name: string, port: number) =>
  YAML.stringify({ apiVersion: 'nginx.example.com/v1', kind: 'Upstream', metadata: { name, namespace: 'default' }, spec: { servers: [{ address: '127.0.0.1', port }] } });

describe('e2e: apiserver-kit aggregator in front of apiserver-kit serve, as separate processes', function () {
  this.timeout(120_000);
  let workDir: string;
  let core: Process | undefined;
  let extension: Process | undefined;
  let kubeconfig: string;
  let startExtension: () => Promise<void>;

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'aggregation-'));
    const coreDir = path.join(workDir, 'core');
    const extensionPort = await freePort();
    core = start(['aggregator', '--secure-port', '0', '--data-dir', coreDir, '--service-endpoint', `${SERVICE.namespace}/${SERVICE.name}=127.0.0.1:${extensionPort}`]);
    await eventually(() => assert.match(core!.output(), /ready: serving on https:/), 30_000, 100);
    kubeconfig = path.join(coreDir, 'admin.kubeconfig');

    const ca = await createCertificate({ usage: 'ca', commonName: 'nginx-api-ca', validDays: 1 });
    const serving = await createCertificate({ usage: 'server', commonName: 'nginx-api', hosts: [`${SERVICE.name}.${SERVICE.namespace}.svc`, '127.0.0.1'], validDays: 1 }, ca);
    writeFileSync(path.join(workDir, 'serving.crt'), serving.certPem + ca.certPem);
    writeFileSync(path.join(workDir, 'serving.key'), serving.keyPem);
    const args = [
      'serve', '--nginx-controller=false', '--groups', 'nginx.example.com',
      '--secure-port', String(extensionPort), '--data-dir', path.join(workDir, 'extension'),
      '--tls-cert-file', path.join(workDir, 'serving.crt'), '--tls-private-key-file', path.join(workDir, 'serving.key'),
      '--requestheader-client-ca-file', path.join(coreDir, 'pki', 'front-proxy-ca.crt'), '--requestheader-allowed-names', 'front-proxy-client',
      '--authorization-mode', 'Webhook', '--authorization-kubeconfig', kubeconfig,
    ];
    startExtension = async () => {
      extension = start(args);
      await ready(extension);
    };
    await startExtension();
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.nginx.example.com' },
      spec: { group: 'nginx.example.com', version: 'v1', service: { ...SERVICE, port: 443 }, caBundle: Buffer.from(ca.certPem).toString('base64'), groupPriorityMinimum: 1000, versionPriority: 15 },
    };
    await kubectl(['apply', '-f', '-'], { kubeconfig, input: YAML.stringify(apiService) });
  });

  after(() => {
    kill(extension);
    kill(core);
    rmSync(workDir, { recursive: true, force: true });
  });

  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig, input });
  const availability = () => k(['get', 'apiservice', 'v1.nginx.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}']);

  it('serves Upstreams through the core cluster: discovery, create, get, list, patch, delete', async () => {
    await eventually(async () => assert.equal(await availability(), 'True'), 15_000);
    assert.match(await k(['api-resources', '--api-group', 'nginx.example.com']), /^upstreams\s+.*nginx\.example\.com\/v1\s+true\s+Upstream$/m);
    await k(['create', '-f', '-'], upstream('web', 19081));
    assert.equal(await k(['get', 'upstream', 'web', '-n', 'default', '-o', 'jsonpath={.spec.servers[0].port}']), '19081');
    assert.match(await k(['get', 'upstreams', '-A']), /^default\s+web\s/m);
    await k(['patch', 'upstream', 'web', '-n', 'default', '--type', 'merge', '-p', '{"spec":{"servers":[{"address":"127.0.0.1","port":19082}]}}']);
    assert.equal(await k(['get', 'upstream', 'web', '-n', 'default', '-o', 'jsonpath={.spec.servers[0].port}']), '19082');
    await k(['delete', 'upstream', 'web', '-n', 'default']);
    assert.equal(await k(['get', 'upstreams', '-n', 'default', '-o', 'name']), '');
  });

  it('turns the APIService Available=False and its requests into 503 while the extension server is stopped, and back', async () => {
    process.kill(extension!.child.pid as number, 'SIGTERM');
    assert.equal(await extension!.exited, 0);
    // A request that cannot reach the server has the core cluster probe it at once.
    const down = await runKubectl(['get', '--raw', '/apis/nginx.example.com/v1/namespaces/default/upstreams'], { kubeconfig });
    assert.match(down.stderr, /ServiceUnavailable|the server is currently unable to handle the request/);
    await eventually(async () => assert.equal(await availability(), 'False'), 5_000);
    const unavailable = await runKubectl(['get', '--raw', '/apis/nginx.example.com/v1/namespaces/default/upstreams'], { kubeconfig });
    assert.match(unavailable.stderr, /the server is currently unable to handle the request/);
    assert.match(await k(['get', 'namespaces']), /^kube-system\s+Active/m);
    await startExtension();
    await eventually(async () => assert.equal(await availability(), 'True'), 15_000);
    assert.equal(await k(['get', 'upstreams', '-n', 'default', '-o', 'name']), '');
  });
});
