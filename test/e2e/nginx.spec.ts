/**
 * nginx.example.com end to end: the server with its in-process controller, a
 * real nginx (unprivileged, own prefix, loopback port) and two HTTP backends.
 * The example manifests of examples/nginx are applied with kubectl (ports
 * adjusted), traffic is checked through nginx, one server is marked down with
 * kubectl patch, and a configuration nginx refuses leaves traffic flowing.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { nginxGroup } from '../../src/apis/nginx/group';
import { freePort, get, makeNginxPrefix, NGINX, startBackend, startNginx, type NginxPrefix, type RunningProcess } from '../controllers/nginx/nginx-process';
import { eventually, kubectl } from '../support/kubectl';
import { startTestServer, type TestServer } from './server-harness';

const EXAMPLES = path.join(__dirname, '../../../examples/nginx');

/** An example manifest with the example's fixed ports replaced by the test's. */
function example(file: string, ports: Record<number, number>): string {
  let text = readFileSync(path.join(EXAMPLES, file), 'utf8');
  for (const [from, to] of Object.entries(ports)) text = text.replaceAll(`port: ${from}`, `port: ${to}`);
  return text;
}

async function tally(port: number, requests: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < requests; i++) {
    const res = await get(port);
    const key = res.status === 200 ? res.body : `HTTP ${res.status}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('e2e: nginx.example.com drives a real nginx', function () {
  this.timeout(60_000);
  let prefix: NginxPrefix;
  const processes: RunningProcess[] = [];
  let server: TestServer;
  let listenPort: number;
  const k = (...args: string[]) => kubectl(args, { kubeconfig: server.kubeconfig });
  const programmed = async (resource: string) =>
    k('get', resource, '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].status} {.status.conditions[?(@.type=="Programmed")].reason}');

  before(async () => {
    prefix = makeNginxPrefix();
    processes.push(await startNginx(prefix));
    const a = await startBackend('A');
    processes.push(a);
    const b = await startBackend('B');
    processes.push(b);
    listenPort = await freePort();
    const flags = { enabled: true, binary: NGINX, prefix: prefix.prefix, conf: prefix.conf, configDir: prefix.configDir, listenAddress: '127.0.0.1' };
    server = await startTestServer('sqlite', (builder) => builder.withGroup(nginxGroup(flags)));
    const ports = { 19081: a.port, 19082: b.port, 18080: listenPort };
    await kubectl(['apply', '-f', '-'], { kubeconfig: server.kubeconfig, input: `${example('upstream.yaml', ports)}\n---\n${example('virtualserver.yaml', ports)}` });
  });
  after(async () => {
    try {
      await server?.stop();
    } finally {
      for (const p of processes) p.stop();
      prefix?.remove();
    }
  });

  it('programs the Upstream and VirtualServer and shows it in kubectl get ups,vs -A', async () => {
    await eventually(async () => {
      assert.equal(await programmed('upstream/web'), 'True Programmed');
      assert.equal(await programmed('virtualserver/site'), 'True Programmed');
    }, 15_000);
    const table = await k('get', 'ups,vs', '-A');
    assert.match(table, /^NAMESPACE\s+NAME\s+METHOD\s+SERVERS\s+PROGRAMMED\s+REASON\s+AGE$/m);
    assert.match(table, /^default\s+upstream\.nginx\.example\.com\/web\s+round_robin\s+2\s+True\s+Programmed\s+\d+s$/m);
    assert.match(table, /^NAMESPACE\s+NAME\s+HOSTS\s+PORT\s+PROGRAMMED\s+REASON\s+AGE$/m);
    assert.match(table, new RegExp(`^default\\s+virtualserver\\.nginx\\.example\\.com/site\\s+${listenPort}\\s+True\\s+Programmed\\s+\\d+s$`, 'm'));
  });

  it('proxies to both backends in the ratio of their weights (3:1 over 100 requests)', async () => {
    await eventually(async () => assert.equal((await get(listenPort)).status, 200));
    const counts = await tally(listenPort, 100);
    assert.equal((counts.A ?? 0) + (counts.B ?? 0), 100, JSON.stringify(counts));
    assert.ok(counts.A >= 70 && counts.A <= 80, `A got ${counts.A} of 100, B ${counts.B}`);
    assert.deepEqual(await get(listenPort, '/healthz'), { status: 200, body: 'ok\n' });
  });

  it('moves all traffic to the other backend when kubectl patch marks a server down', async () => {
    await k('patch', 'upstream', 'web', '--type=json', '-p', '[{"op":"add","path":"/spec/servers/0/down","value":true}]');
    await eventually(async () => assert.deepEqual(await tally(listenPort, 10), { B: 10 }), 15_000);
    assert.equal(await k('get', 'upstream', 'web', '-o', 'jsonpath={.status.observedGeneration}'), '2');
  });

  it('keeps traffic flowing on the last good configuration when nginx refuses a change, and says why', async () => {
    const broken = '[{"op":"add","path":"/spec/locations/-","value":{"path":"^/broken(","match":"regex","upstream":"web"}}]';
    await k('patch', 'virtualserver', 'site', '--type=json', '-p', broken);
    await eventually(async () => assert.equal(await programmed('virtualserver/site'), 'False Invalid'), 15_000);
    const message = await k('get', 'virtualserver', 'site', '-o', 'jsonpath={.status.conditions[?(@.type=="Programmed")].message}');
    assert.match(message, /^nginx rejected the configuration \(the last good configuration stays in effect\): pcre2?_compile\(\) failed: missing closing parenthesis/);
    assert.deepEqual(await tally(listenPort, 20), { B: 20 });
    assert.match(await k('get', 'vs', 'site'), /\s+False\s+Invalid\s+/);
  });
});
