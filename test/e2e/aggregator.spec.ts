/**
 * An aggregator in front of a backend server, with the real kubectl pointed only at
 * the aggregator: the APIService is registered with kubectl, the backend's group
 * shows in discovery, every verb and watches go through the proxy with the user's
 * identity in front-proxy headers, forged headers sent straight to the backend are
 * refused, and a stopped backend turns the APIService unavailable (503) without
 * breaking anything else until it returns.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { aggregatorGroup, staticServiceResolver } from '../../src/framework/aggregator';
import { createCertificate } from '../../src/framework/server/pki/create-certificate';
import { eventually, kubectl, runKubectl, startKubectl } from '../support/kubectl';
import { ensureClientCertificate, writeKubeconfig, type RESTStrategy } from '../../src/index';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const SERVICE = { namespace: 'e2e-system', name: 'api' };
const ECHO_SERVICE = { namespace: 'e2e-system', name: 'echo' };
/** The backend notes who created each widget, as it learned it from the request. */
const CREATED_BY = 'e2e.example.com/created-by';
const recordCreator: RESTStrategy<Widget> = {
  prepareForCreate(ctx, obj) {
    obj.metadata.annotations = { ...obj.metadata.annotations, [CREATED_BY]: `${ctx.user?.username}:${ctx.user?.groups.join(',')}` };
  },
};

function widgetYAML(name: string, size: number): string {
  return YAML.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default' }, spec: { size, color: 'red' } });
}

/** Answers a request straight to the backend with the given headers and no client certificate. */
function directRequest(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers, rejectUnauthorized: false }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A backend that only the front proxy may talk to: it lists one resource with an
 * exec subresource, and switches an exec request to a protocol that echoes bytes
 * back, after a 101 that names the user the proxy sent.
 */
function startEchoBackend(tls: { certPem: string; keyPem: string }, frontProxyCAPem: string): Promise<https.Server> {
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem, ca: frontProxyCAPem, requestCert: true, rejectUnauthorized: true }, (_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: 'echo.example.com/v1', resources: [{ name: 'echoes', singularName: 'echo', namespaced: true, kind: 'Echo', verbs: ['get'] }, { name: 'echoes/exec', singularName: '', namespaced: true, kind: 'Echo', verbs: ['create', 'get'] }] }));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\nX-Seen-User: ${req.headers['x-remote-user']}\r\n\r\n`);
    socket.on('data', (d: Buffer) => socket.write(d));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('e2e: aggregator in front of a backend server, with kubectl', function () {
  this.timeout(120_000);
  const endpoints: Record<string, string> = {};
  let workDir: string;
  let aggregator: TestServer;
  let backend: TestServer | undefined;
  let backendFlags: string[];
  let caBundle: string;
  let aggregatorCertDir: string;
  let echo: https.Server | undefined;
  let viewerKubeconfig: string;

  const startBackend = (port: number) =>
    startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1], { strategy: recordCreator as RESTStrategy }), [...backendFlags, '--secure-port', String(port)]);

  before(async () => {
    workDir = mkdtempSync(path.join(os.tmpdir(), 'aggregator-e2e-'));
    aggregatorCertDir = path.join(workDir, 'aggregator-pki');
    // The core cluster's policy: admin (system:masters) may do anything, viewer may only read widgets and discovery.
    const policyFile = path.join(workDir, 'policy.jsonl');
    const policy = (spec: object) => JSON.stringify({ apiVersion: 'abac.authorization.kubernetes.io/v1beta1', kind: 'Policy', spec });
    writeFileSync(policyFile, [policy({ user: 'viewer', apiGroup: 'e2e.example.com', resource: 'widgets', namespace: '*', readonly: true }), policy({ user: 'viewer', nonResourcePath: '*', readonly: true })].join('\n'));
    aggregator = await startTestServer(
      'sqlite',
      (b) => b.withGroup(aggregatorGroup({ certDir: aggregatorCertDir, serviceResolver: staticServiceResolver(endpoints), availabilityIntervalMs: 300 })),
      ['--cert-dir', aggregatorCertDir, '--authorization-mode', 'ABAC', '--authorization-policy-file', policyFile],
    );
    const clientCA = { certPem: readFileSync(path.join(aggregatorCertDir, 'ca.crt'), 'utf8'), keyPem: readFileSync(path.join(aggregatorCertDir, 'ca.key'), 'utf8') };
    const viewer = await ensureClientCertificate({ certDir: workDir, ca: clientCA, name: 'viewer', user: 'viewer', groups: [] });
    viewerKubeconfig = path.join(workDir, 'viewer.kubeconfig');
    await writeKubeconfig(viewerKubeconfig, { server: aggregator.running.url, caPem: clientCA.certPem, clientCertPem: viewer.certPem, clientKeyPem: viewer.keyPem, user: 'viewer' });
    // The backend's own serving identity, valid for the service's DNS name, which the aggregator checks.
    const ca = await createCertificate({ usage: 'ca', commonName: 'backend-ca', validDays: 1 });
    const serving = await createCertificate({ usage: 'server', commonName: 'api', hosts: [`${SERVICE.name}.${SERVICE.namespace}.svc`, `${ECHO_SERVICE.name}.${ECHO_SERVICE.namespace}.svc`, '127.0.0.1'], validDays: 1 }, ca);
    writeFileSync(path.join(workDir, 'backend.crt'), serving.certPem + ca.certPem);
    writeFileSync(path.join(workDir, 'backend.key'), serving.keyPem);
    caBundle = Buffer.from(ca.certPem).toString('base64');
    backendFlags = [
      '--tls-cert-file', path.join(workDir, 'backend.crt'),
      '--tls-private-key-file', path.join(workDir, 'backend.key'),
      '--requestheader-client-ca-file', path.join(aggregatorCertDir, 'front-proxy-ca.crt'),
      '--requestheader-allowed-names', 'front-proxy-client',
      // Every decision is the core cluster's, asked with a SubjectAccessReview.
      '--authorization-mode', 'Webhook',
      '--authorization-kubeconfig', aggregator.kubeconfig,
      '--authorization-webhook-cache-unauthorized-ttl', '0s',
    ];
    backend = await startBackend(0);
    endpoints[`${SERVICE.namespace}/${SERVICE.name}`] = `127.0.0.1:${backend.running.address.port}`;
    echo = await startEchoBackend(serving, readFileSync(path.join(aggregatorCertDir, 'front-proxy-ca.crt'), 'utf8'));
    const echoAddress = echo.address() as { port: number };
    endpoints[`${ECHO_SERVICE.namespace}/${ECHO_SERVICE.name}`] = `127.0.0.1:${echoAddress.port}`;
  });

  after(async () => {
    echo?.closeAllConnections();
    echo?.close();
    await backend?.stop();
    await aggregator?.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  const k = (args: string[], input?: string) => kubectl(args, { kubeconfig: aggregator.kubeconfig, input });
  /** A GET on the aggregator as admin, with the given headers. */
  const adminRequest = (requestPath: string, headers: Record<string, string>) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const req = https.request(`${aggregator.running.url}${requestPath}`, {
        headers,
        ca: readFileSync(path.join(aggregatorCertDir, 'ca.crt')),
        cert: readFileSync(path.join(aggregatorCertDir, 'admin.crt')),
        key: readFileSync(path.join(aggregatorCertDir, 'admin.key')),
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('registers the APIService with kubectl and reports it Available', async () => {
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.e2e.example.com' },
      spec: { group: 'e2e.example.com', version: 'v1', service: { ...SERVICE, port: 443 }, caBundle, groupPriorityMinimum: 1000, versionPriority: 15 },
    };
    await k(['apply', '-f', '-'], YAML.stringify(apiService));
    await eventually(async () => {
      const available = await k(['get', 'apiservice', 'v1.e2e.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}']);
      assert.equal(available, 'True');
    });
    const apiServices = await k(['get', 'apiservices']);
    assert.match(apiServices, /^v1\.e2e\.example\.com\s+e2e-system\/api\s+True\s/m);
    // What the aggregator serves itself is registered too, as Local.
    assert.match(apiServices, /^v1\.\s+Local\s+True\s/m);
    assert.match(apiServices, /^v1\.apiregistration\.k8s\.io\s+Local\s+True\s/m);
    assert.equal(await k(['get', 'apiservice', 'v1.', '-o', 'jsonpath={.status.conditions[0].reason}']), 'Local');
  });

  it('reports an APIService whose service it cannot find as unavailable, with the reason', async () => {
    const missing = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.missing.example.com' },
      spec: { group: 'missing.example.com', version: 'v1', service: { namespace: 'nowhere', name: 'gone' }, groupPriorityMinimum: 1000, versionPriority: 15 },
    };
    await k(['apply', '-f', '-'], YAML.stringify(missing));
    await eventually(async () => {
      const condition = await k(['get', 'apiservice', 'v1.missing.example.com', '-o', 'jsonpath={.status.conditions[0].status}/{.status.conditions[0].reason}: {.status.conditions[0].message}']);
      assert.equal(condition, 'False/ServiceNotFound: service/gone in "nowhere" is not present');
    });
    const refused = await runKubectl(['get', '--raw', '/apis/missing.example.com/v1'], { kubeconfig: aggregator.kubeconfig });
    assert.match(refused.stderr, /the server is currently unable to handle the request/);
    await k(['delete', 'apiservice', 'v1.missing.example.com']);
  });

  it('lists the backend group in discovery and OpenAPI next to its own', async () => {
    const resources = await k(['api-resources', '--api-group', 'e2e.example.com', '-o', 'name']);
    assert.equal(resources.trim(), 'widgets.e2e.example.com');
    const groups = await k(['api-versions']);
    assert.match(groups, /^e2e\.example\.com\/v1$/m);
    assert.match(groups, /^apiregistration\.k8s\.io\/v1$/m);
    // The backend's OpenAPI comes through the aggregator's index.
    assert.match(await k(['explain', 'widgets.spec.size']), /How big the widget is\./);
  });

  it("merges the backend's OpenAPI v2 into its own, as JSON and as gnostic protobuf, with an ETag of the merged document", async () => {
    const v2 = JSON.parse(await k(['get', '--raw', '/openapi/v2'])) as { paths: Record<string, unknown>; definitions: Record<string, unknown> };
    assert.ok(v2.paths['/apis/e2e.example.com/v1/namespaces/{namespace}/widgets/{name}'], 'the backend path is there');
    assert.ok(v2.paths['/apis/apiregistration.k8s.io/v1/apiservices'], 'its own path is there');
    assert.ok(v2.definitions['com.example.e2e.v1.Widget'], 'the backend definition is there');
    const protobuf = await adminRequest('/openapi/v2', { accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf' });
    assert.equal(protobuf.status, 200);
    assert.equal(protobuf.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    assert.ok(protobuf.body.includes('/apis/e2e.example.com/v1/namespaces/{namespace}/widgets/{name}'));
    const again = await adminRequest('/openapi/v2', { accept: 'application/json', 'if-none-match': protobuf.headers.etag as string });
    assert.equal(again.status, 200, 'the JSON form has an ETag of its own');
    assert.equal((await adminRequest('/openapi/v2', { accept: 'application/json', 'if-none-match': again.headers.etag as string })).status, 304);
  });

  it('creates, gets, lists, watches, patches and deletes through the proxy', async () => {
    const watch = startKubectl(['get', 'widgets', '-n', 'default', '-w', '--output-watch-events', '-o', 'jsonpath={.type} {.object.metadata.name} {.object.spec.size}{"\\n"}'], { kubeconfig: aggregator.kubeconfig });
    try {
      await k(['create', '-f', '-'], widgetYAML('proxied', 3));
      assert.equal(await k(['get', 'widget', 'proxied', '-n', 'default', '-o', 'jsonpath={.spec.size}']), '3');
      assert.match(await k(['get', 'widgets', '-n', 'default']), /^proxied\s+3\s+red/m);
      await k(['patch', 'widget', 'proxied', '-n', 'default', '--type', 'merge', '-p', '{"spec":{"size":5}}']);
      assert.equal(await k(['get', 'widget', 'proxied', '-n', 'default', '-o', 'jsonpath={.spec.size}']), '5');
      await eventually(() => {
        assert.match(watch.output(), /ADDED\s+proxied\s+3/);
        assert.match(watch.output(), /MODIFIED\s+proxied\s+5/);
      });
      await k(['delete', 'widget', 'proxied', '-n', 'default']);
      await eventually(() => assert.match(watch.output(), /DELETED\s+proxied/));
      const left = await runKubectl(['get', 'widget', 'proxied', '-n', 'default'], { kubeconfig: aggregator.kubeconfig });
      assert.match(left.stderr, /NotFound|not found/);
    } finally {
      watch.stop();
    }
  });

  it('passes the authenticated user to the backend in front-proxy headers', async () => {
    await k(['create', '-f', '-'], widgetYAML('mine', 1));
    const createdBy = await kubectl(['get', 'widget', 'mine', '-n', 'default', '-o', `jsonpath={.metadata.annotations.${CREATED_BY.replace(/\./g, '\\.')}}`], { kubeconfig: backend!.kubeconfig });
    assert.equal(createdBy, 'admin:system:masters,system:authenticated');
  });

  it('refuses forged X-Remote-User headers sent straight to the backend without the front-proxy certificate', async () => {
    const url = `${backend!.running.url}/apis/e2e.example.com/v1/namespaces/default/widgets`;
    const forged = { 'X-Remote-User': 'admin', 'X-Remote-Group': 'system:masters', 'content-type': 'application/json' };
    const list = await directRequest(url, 'GET', forged);
    assert.equal(list.status, 401);
    const create = await directRequest(url, 'POST', forged, JSON.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name: 'forged' } }));
    assert.equal(create.status, 401);
    const missing = await runKubectl(['get', 'widget', 'forged', '-n', 'default'], { kubeconfig: aggregator.kubeconfig });
    assert.notEqual(missing.code, 0);
  });

  it("lets a user do what the core cluster's policy allows and nothing more, the backend asking the core cluster too", async () => {
    await k(['create', '-f', '-'], widgetYAML('shared', 2));
    const asViewer = (args: string[], input?: string) => runKubectl(args, { kubeconfig: viewerKubeconfig, input });
    const read = await asViewer(['get', 'widget', 'shared', '-n', 'default', '-o', 'jsonpath={.spec.size}']);
    assert.equal(read.stdout, '2', read.stderr);
    const write = await asViewer(['delete', 'widget', 'shared', '-n', 'default']);
    assert.notEqual(write.code, 0);
    assert.match(write.stderr, /Forbidden/);
    // The backend on its own: the front proxy vouches for viewer, the core cluster's review refuses the write.
    const frontProxy = { cert: readFileSync(path.join(aggregatorCertDir, 'front-proxy-client.crt')), key: readFileSync(path.join(aggregatorCertDir, 'front-proxy-client.key')) };
    const url = `${backend!.running.url}/apis/e2e.example.com/v1/namespaces/default/widgets/shared`;
    const viaProxyIdentity = (method: string) =>
      new Promise<number>((resolve, reject) => {
        const req = https.request(url, { method, ...frontProxy, rejectUnauthorized: false, headers: { 'X-Remote-User': 'viewer', 'X-Remote-Group': 'system:authenticated' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await viaProxyIdentity('GET'), 200);
    assert.equal(await viaProxyIdentity('DELETE'), 403);
  });

  it('joins an upgrade request (exec) to the backend once it switches protocols, with the user in front-proxy headers', async () => {
    const apiService = {
      apiVersion: 'apiregistration.k8s.io/v1',
      kind: 'APIService',
      metadata: { name: 'v1.echo.example.com' },
      spec: { group: 'echo.example.com', version: 'v1', service: ECHO_SERVICE, caBundle, groupPriorityMinimum: 1000, versionPriority: 15 },
    };
    await k(['apply', '-f', '-'], YAML.stringify(apiService));
    await eventually(async () => {
      assert.equal(await k(['get', 'apiservice', 'v1.echo.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}']), 'True');
    });
    const { response, socket } = await new Promise<{ response: IncomingMessage; socket: Duplex }>((resolve, reject) => {
      const req = https.request(`${aggregator.running.url}/apis/echo.example.com/v1/namespaces/default/echoes/x/exec?command=cat`, {
        method: 'POST',
        headers: { connection: 'Upgrade', upgrade: 'echo', 'x-remote-user': 'forged' },
        ca: readFileSync(path.join(aggregatorCertDir, 'ca.crt')),
        cert: readFileSync(path.join(aggregatorCertDir, 'admin.crt')),
        key: readFileSync(path.join(aggregatorCertDir, 'admin.key')),
      });
      req.on('upgrade', (res: IncomingMessage, sock: Duplex) => resolve({ response: res, socket: sock }));
      req.on('response', (res: IncomingMessage) => reject(new Error(`no upgrade: ${res.statusCode}`)));
      req.on('error', reject);
      req.end();
    });
    try {
      assert.equal(response.statusCode, 101);
      assert.equal(response.headers['x-seen-user'], 'admin');
      const echoed = new Promise<string>((resolve) => socket.once('data', (d: Buffer) => resolve(d.toString())));
      socket.write('ping');
      assert.equal(await echoed, 'ping');
    } finally {
      socket.destroy();
    }
    await k(['delete', 'apiservice', 'v1.echo.example.com']);
  });

  it('marks the APIService unavailable while the backend is down, answers 503 for it and keeps serving the rest', async () => {
    const port = backend!.running.address.port;
    await backend!.stop();
    backend = undefined;
    await eventually(async () => {
      const condition = await k(['get', 'apiservice', 'v1.e2e.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}/{.status.conditions[?(@.type=="Available")].reason}']);
      assert.equal(condition, 'False/FailedDiscoveryCheck');
    });
    const down = await runKubectl(['get', '--raw', '/apis/e2e.example.com/v1/namespaces/default/widgets'], { kubeconfig: aggregator.kubeconfig });
    assert.notEqual(down.code, 0);
    assert.match(down.stderr, /the server is currently unable to handle the request/);
    // Its discovery is Stale, which kubectl takes as the resource being unavailable for now.
    const discovery = (await adminRequest('/apis', { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' })).body.toString('utf8');
    const groups = (JSON.parse(discovery) as { items: { metadata: { name: string }; versions: { version: string; freshness: string }[] }[] }).items;
    assert.deepEqual(groups.find((g) => g.metadata.name === 'e2e.example.com')?.versions.map((v) => `${v.version}:${v.freshness}`), ['v1:Stale']);
    assert.deepEqual(groups.find((g) => g.metadata.name === 'apiregistration.k8s.io')?.versions.map((v) => `${v.version}:${v.freshness}`), ['v1:Current']);
    const stale = await runKubectl(['get', 'widgets', '-n', 'default'], { kubeconfig: aggregator.kubeconfig });
    assert.notEqual(stale.code, 0);
    // Discovery still serves every other group, so kubectl keeps working for them.
    assert.match(await k(['get', 'namespaces']), /^default\s+Active/m);
    assert.match(await k(['get', 'apiservices']), /^v1\.e2e\.example\.com\s+e2e-system\/api\s+False \(FailedDiscoveryCheck\)\s/m);
    // Its last OpenAPI v2 spec stays, as kube-aggregator keeps it.
    assert.ok(Object.hasOwn((JSON.parse(await k(['get', '--raw', '/openapi/v2'])) as { paths: object }).paths, '/apis/e2e.example.com/v1/namespaces/{namespace}/widgets'));

    backend = await startBackend(port);
    await eventually(async () => {
      const available = await k(['get', 'apiservice', 'v1.e2e.example.com', '-o', 'jsonpath={.status.conditions[?(@.type=="Available")].status}']);
      assert.equal(available, 'True');
    });
    const back = await runKubectl(['get', 'widgets', '-n', 'default'], { kubeconfig: aggregator.kubeconfig });
    assert.equal(back.code, 0, back.stderr);
    assert.match(back.stderr, /No resources found in default namespace/);
  });

  it('forgets a deleted APIService: its group leaves discovery and OpenAPI v2, and its paths are no longer proxied', async () => {
    await k(['delete', 'apiservice', 'v1.e2e.example.com']);
    await eventually(async () => assert.doesNotMatch(await k(['api-versions']), /^e2e\.example\.com\/v1$/m));
    const v2 = JSON.parse(await k(['get', '--raw', '/openapi/v2'])) as { paths: Record<string, unknown>; definitions: Record<string, unknown> };
    assert.equal(Object.keys(v2.paths).some((p) => p.startsWith('/apis/e2e.example.com/')), false);
    assert.equal(v2.definitions['com.example.e2e.v1.Widget'], undefined);
    const gone = await runKubectl(['get', '--raw', '/apis/e2e.example.com/v1/namespaces/default/widgets'], { kubeconfig: aggregator.kubeconfig });
    assert.match(gone.stderr, /NotFound|the server could not find the requested resource/);
  });
});
