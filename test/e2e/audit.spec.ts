/**
 * The audit log: audit.k8s.io/v1 Events as JSON lines, levels and stages chosen
 * by the policy file, bodies only at Request and RequestResponse, never any
 * credentials, impersonation and refused authentication recorded, and the file
 * rotated by size with a bounded number of backups.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterOf, tlsRequest } from '../support/credentials';
import { eventually, kubectl } from '../support/kubectl';
import { RawClient } from '../support/raw-client';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const POLICY = `
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: None
  nonResourceURLs: ["/healthz*", "/readyz*", "/livez*"]
- level: Metadata
  namespaces: ["vault"]
- level: RequestResponse
  resources:
  - group: e2e.example.com
    resources: ["widgets", "widgets/status"]
- level: Metadata
`;

interface LoggedEvent {
  kind: string;
  level: string;
  stage: string;
  verb: string;
  requestURI: string;
  auditID: string;
  user: { username: string; groups?: string[] };
  impersonatedUser?: { username: string };
  objectRef?: { resource?: string; namespace?: string; name?: string; apiGroup?: string; apiVersion?: string };
  responseStatus?: { code: number; message?: string };
  requestObject?: any;
  responseObject?: any;
  requestReceivedTimestamp: string;
  stageTimestamp: string;
  annotations?: Record<string, string>;
}

function readEvents(file: string): LoggedEvent[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

function widget(name: string, annotations?: Record<string, string>): string {
  return JSON.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name, annotations }, spec: { size: 2 } });
}

describe('e2e: audit log', function () {
  this.timeout(60_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'audit-'));
    writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    writeFileSync(path.join(dir, 'tokens.csv'), 'secret-token-value,alice,1,devs\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  describe('events by policy', () => {
    let server: TestServer;
    let client: RawClient;
    let log: string;

    before(async () => {
      log = path.join(dir, 'audit.log');
      server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), [
        '--audit-log-path', log,
        '--audit-policy-file', path.join(dir, 'policy.yaml'),
        '--token-auth-file', path.join(dir, 'tokens.csv'),
      ]);
      client = new RawClient(server.kubeconfig);
    });
    after(async () => {
      await server?.stop();
    });

    it('records a create at RequestResponse level: who, what, the outcome and both bodies', async () => {
      const res = await client.request('POST', '/apis/e2e.example.com/v1/namespaces/default/widgets', { body: widget('logged') });
      assert.equal(res.status, 201);
      const events = readEvents(log).filter((e) => e.objectRef?.resource === 'widgets' && e.verb === 'create');
      assert.deepEqual(events.map((e) => e.stage), ['ResponseComplete'], 'RequestReceived is left out by the policy');
      const [event] = events;
      assert.equal(event.level, 'RequestResponse');
      assert.equal(event.auditID, res.headers['audit-id']);
      assert.equal(event.requestURI, '/apis/e2e.example.com/v1/namespaces/default/widgets');
      assert.deepEqual(event.user, { username: 'admin', groups: ['system:masters', 'system:authenticated'] });
      assert.deepEqual(event.objectRef, { resource: 'widgets', namespace: 'default', name: 'logged', apiGroup: 'e2e.example.com', apiVersion: 'v1' });
      assert.deepEqual(event.responseStatus, { metadata: {}, code: 201 });
      assert.deepEqual(event.requestObject.spec, { size: 2 });
      assert.equal(event.responseObject.metadata.uid, JSON.parse(res.body).metadata.uid);
      assert.match(event.stageTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      assert.ok(event.stageTimestamp >= event.requestReceivedTimestamp);
      assert.deepEqual(event.annotations, { 'authorization.k8s.io/decision': 'allow' });
    });

    it('keeps bodies out at Metadata level and credentials out at every level', async () => {
      await kubectl(['create', 'namespace', 'vault'], { kubeconfig: server.kubeconfig });
      const created = await client.request('POST', '/apis/e2e.example.com/v1/namespaces/vault/widgets', { body: widget('safe', { password: 'hunter2-very-secret' }) });
      assert.equal(created.status, 201, created.body);
      await tlsRequest(clusterOf(server.kubeconfig), '/apis/e2e.example.com/v1/namespaces/default/widgets', { token: 'secret-token-value' });
      const event = readEvents(log).find((e) => e.objectRef?.namespace === 'vault' && e.verb === 'create')!;
      assert.equal(event.level, 'Metadata');
      assert.equal(event.requestObject, undefined);
      assert.equal(event.responseObject, undefined);
      const text = readFileSync(log, 'utf8');
      assert.ok(!text.includes('hunter2-very-secret'), 'a Metadata-level body leaked into the log');
      assert.ok(!text.includes('secret-token-value'), 'a bearer token leaked into the log');
      assert.ok(readEvents(log).some((e) => e.user.username === 'alice' && e.verb === 'list'));
    });

    it('records refusals with their status, refused authentication and impersonation, and leaves out what the policy says None to', async () => {
      await client.request('GET', '/apis/e2e.example.com/v1/namespaces/default/widgets/missing');
      await client.request('GET', '/healthz');
      await tlsRequest(clusterOf(server.kubeconfig), '/api/v1/namespaces?marker=unauthenticated', { token: 'wrong' });
      await kubectl(['get', 'widgets', '-n', 'default', '--as', 'carol'], { kubeconfig: server.kubeconfig });
      const events = readEvents(log);
      const missing = events.find((e) => e.objectRef?.name === 'missing')!;
      assert.deepEqual(missing.responseStatus, { metadata: {}, code: 404, status: 'Failure', message: 'widgets.e2e.example.com "missing" not found', reason: 'NotFound' });
      assert.ok(!events.some((e) => e.requestURI.startsWith('/healthz')));
      const refused = events.find((e) => e.requestURI.includes('marker=unauthenticated'))!;
      assert.equal(refused.stage, 'ResponseStarted');
      assert.equal(refused.responseStatus?.code, 401);
      const impersonated = events.find((e) => e.impersonatedUser?.username === 'carol' && e.objectRef?.resource === 'widgets')!;
      assert.equal(impersonated.user.username, 'admin');
      assert.equal(impersonated.verb, 'list');
    });

    it('writes ResponseStarted when a watch starts and ResponseComplete when it ends', async () => {
      await client.request('GET', '/apis/e2e.example.com/v1/namespaces/default/widgets?watch=true&timeoutSeconds=1');
      await eventually(() => {
        const stages = readEvents(log)
          .filter((e) => e.verb === 'watch')
          .map((e) => e.stage);
        assert.deepEqual(stages, ['ResponseStarted', 'ResponseComplete']);
      });
    });
  });

  it('rotates the log by size and keeps --audit-log-maxbackup backups', async () => {
    const log = path.join(dir, 'rotating', 'audit.log');
    const server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), [
      '--audit-log-path', log,
      '--audit-policy-file', path.join(dir, 'policy.yaml'),
      '--audit-log-maxsize', '1',
      '--audit-log-maxbackup', '2',
    ]);
    try {
      const client = new RawClient(server.kubeconfig);
      const filler = 'x'.repeat(200 * 1024);
      for (let i = 0; i < 12; i++) {
        const res = await client.request('POST', '/apis/e2e.example.com/v1/namespaces/default/widgets', { body: widget(`big-${i}`, { filler }) });
        assert.equal(res.status, 201, res.body);
      }
      const files = readdirSync(path.dirname(log)).sort();
      const backups = files.filter((f) => /^audit-.*\.log$/.test(f));
      assert.equal(backups.length, 2, files.join(', '));
      for (const file of files) {
        const full = path.join(path.dirname(log), file);
        assert.ok(statSync(full).size <= 1024 * 1024, `${file} is over 1 MiB`);
        assert.ok(readEvents(full).every((e) => e.kind === 'Event'));
      }
      assert.ok(readEvents(log).some((e) => e.objectRef?.name === 'big-11'));
    } finally {
      await server.stop();
    }
  });
});
