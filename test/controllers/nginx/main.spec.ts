/**
 * The controller as a process of its own (main.js), next to a server that runs
 * none: it programs nginx (checked with the real `nginx -t`) and writes status.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { nginxGroup } from '../../../src/apis/nginx/group';
import { eventually, kubectl } from '../../support/kubectl';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { makeNginxPrefix, NGINX, type NginxPrefix } from './nginx-process';

const MAIN = path.join(__dirname, '../../../src/controllers/nginx/main.js');

const UPSTREAM = `
apiVersion: nginx.example.com/v1
kind: Upstream
metadata: {name: apart}
spec:
  servers: [{address: 127.0.0.1, port: 18201}]
`;

describe('controllers/nginx: the controller as a process of its own', function () {
  this.timeout(30_000);
  let prefix: NginxPrefix;
  let server: TestServer;
  let controller: ChildProcess | undefined;
  let output = '';

  before(async () => {
    prefix = makeNginxPrefix();
    server = await startTestServer('sqlite', (b) => b.withGroup(nginxGroup({ enabled: false })));
  });
  after(async () => {
    try {
      if (controller?.pid) process.kill(-controller.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await server?.stop();
    prefix?.remove();
  });

  it('watches the server through its kubeconfig, programs nginx and writes status', async () => {
    const args = [
      MAIN,
      '--kubeconfig',
      server.kubeconfig,
      `--nginx-controller-binary=${NGINX}`,
      `--nginx-controller-prefix=${prefix.prefix}`,
      `--nginx-controller-conf=${prefix.conf}`,
      `--nginx-controller-config-dir=${prefix.configDir}`,
      '--nginx-controller-reload-command=true',
    ];
    controller = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    controller.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    controller.stderr?.on('data', (d: Buffer) => (output += d.toString()));

    await kubectl(['apply', '-f', '-'], { kubeconfig: server.kubeconfig, input: UPSTREAM });
    await eventually(async () => {
      const status = await kubectl(['get', 'upstream', 'apart', '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].status}'], { kubeconfig: server.kubeconfig });
      assert.equal(status, 'True', output);
    }, 15_000);
    assert.ok(existsSync(path.join(prefix.configDir, 'ups_default_apart.conf')));
    assert.match(output, /nginx controller started/);
  });

  it('refuses a command line without a kubeconfig', async () => {
    const child = spawn(process.execPath, [MAIN, '--nginx-controller-config-dir', prefix.configDir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /^nginx-controller: expected --kubeconfig <file> and controller flags, got: nothing/);
  });
});
