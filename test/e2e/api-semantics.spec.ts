/**
 * What the server promises over HTTP beyond the everyday kubectl commands: YAML in
 * and out, Tables, dry-run, the status subresource, watch parameters (timeout,
 * bookmarks, streaming lists), health, metrics, request logs and graceful shutdown.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import YAML from 'yaml';
import { RawClient } from '../support/raw-client';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const BASE = '/apis/e2e.example.com/v1/namespaces/default/widgets';
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

function widget(name: string, size = 1): string {
  return JSON.stringify({ apiVersion: 'e2e.example.com/v1', kind: 'Widget', metadata: { name, labels: { app: 'x' } }, spec: { size, color: 'green' } });
}

function events(body: string): { type: string; object: { metadata: { name?: string; resourceVersion?: string; annotations?: Record<string, string> } } }[] {
  return body.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('e2e: API semantics over HTTP (sqlite)', function () {
  this.timeout(60_000);
  let server: TestServer;
  let client: RawClient;
  const logLines: string[] = [];

  before(async () => {
    const logStream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]), [], pino({ level: 'info' }, logStream));
    client = new RawClient(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('accepts YAML and answers YAML when asked', async () => {
    const body = YAML.stringify(JSON.parse(widget('yaml-in')));
    const res = await client.request('POST', BASE, { body, contentType: 'application/yaml', accept: 'application/yaml' });
    assert.equal(res.status, 201, res.body);
    assert.match(res.headers['content-type'] ?? '', /^application\/yaml/);
    assert.equal(YAML.parse(res.body).metadata.name, 'yaml-in');
  });

  it('renders Tables with the declared columns, and PartialObjectMetadataList', async () => {
    await client.request('POST', BASE, { body: widget('tabled', 4) });
    const table = JSON.parse((await client.request('GET', BASE, { accept: TABLE_ACCEPT })).body);
    assert.equal(table.kind, 'Table');
    assert.deepEqual(table.columnDefinitions.map((c: { name: string }) => c.name), ['Name', 'Size', 'Color', 'Phase', 'Age']);
    assert.equal(table.columnDefinitions.find((c: { name: string }) => c.name === 'Phase').priority, 1);
    const row = table.rows.find((r: { cells: unknown[] }) => r.cells[0] === 'tabled');
    assert.deepEqual(row.cells.slice(0, 4), ['tabled', 4, 'green', null]);
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    const partial = JSON.parse((await client.request('GET', BASE, { accept: 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1' })).body);
    assert.equal(partial.kind, 'PartialObjectMetadataList');
    assert.ok(partial.items.every((i: { kind: string; spec?: unknown }) => i.kind === 'PartialObjectMetadata' && i.spec === undefined));
  });

  it('runs dryRun=All through validation without persisting anything', async () => {
    const created = await client.request('POST', `${BASE}?dryRun=All`, { body: widget('dry') });
    assert.equal(created.status, 201);
    assert.equal((await client.request('GET', `${BASE}/dry`)).status, 404);
    const invalid = await client.request('POST', `${BASE}?dryRun=All`, { body: widget('dry-invalid', -1) });
    assert.equal(invalid.status, 422, invalid.body);
  });

  it('changes status only through /status', async () => {
    await client.request('POST', BASE, { body: widget('stat') });
    const patched = await client.request('PATCH', `${BASE}/stat/status`, { body: '{"status":{"phase":"Ready"},"spec":{"size":99}}', contentType: 'application/merge-patch+json' });
    assert.equal(patched.status, 200, patched.body);
    const obj = JSON.parse(patched.body);
    assert.equal(obj.status.phase, 'Ready');
    assert.equal(obj.spec.size, 1, 'spec does not change through /status');
    const main = await client.request('PATCH', `${BASE}/stat`, { body: '{"status":{"phase":"Gone"}}', contentType: 'application/merge-patch+json' });
    assert.equal(JSON.parse(main.body).status.phase, 'Ready', 'status does not change through the main resource');
  });

  it('ends a watch after timeoutSeconds, with bookmarks when asked', async () => {
    const list = JSON.parse((await client.request('GET', BASE)).body);
    const started = Date.now();
    const res = await client.request('GET', `${BASE}?watch=true&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=7&allowWatchBookmarks=true`);
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started >= 6_500, 'the watch stayed open until its timeout');
    const bookmarks = events(res.body).filter((e) => e.type === 'BOOKMARK');
    assert.ok(bookmarks.length >= 1, `expected a bookmark in ${res.body}`);
    assert.ok(Number(bookmarks[0].object.metadata.resourceVersion) >= Number(list.metadata.resourceVersion));
  });

  it('streams the initial list ending with the initial-events-end bookmark (sendInitialEvents)', async () => {
    const res = await client.request('GET', `${BASE}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=1`);
    const all = events(res.body);
    const end = all.findIndex((e) => e.type === 'BOOKMARK' && e.object.metadata.annotations?.['k8s.io/initial-events-end'] === 'true');
    assert.ok(end > 0, res.body);
    assert.ok(all.slice(0, end).every((e) => e.type === 'ADDED'));
    assert.ok(all.slice(0, end).some((e) => e.object.metadata.name === 'stat'));
  });

  it('reports health with ?verbose, open to requests without credentials', async () => {
    const res = await client.request('GET', '/readyz?verbose', { anonymous: true });
    assert.equal(res.status, 200);
    assert.match(res.body, /^\[\+\]ping ok$/m);
    assert.match(res.body, /^\[\+\]storage ok$/m);
    assert.match(res.body, /readyz check passed\n$/);
    assert.equal((await client.request('GET', '/livez', { anonymous: true })).body, 'ok');
  });

  it('exposes kube-apiserver metrics', async () => {
    const res = await client.request('GET', '/metrics');
    assert.equal(res.status, 200);
    assert.match(res.body, /^apiserver_request_total\{verb="POST",dry_run="All",group="e2e\.example\.com",version="v1",resource="widgets",subresource="",scope="resource",component="apiserver",code="201"\} 1$/m);
    assert.match(res.body, /^apiserver_request_duration_seconds_bucket\{le="0\.005",verb="LIST"/m);
    assert.match(res.body, /^apiserver_storage_objects\{resource="widgets\.e2e\.example\.com"\} \d+$/m);
    assert.match(res.body, /^apiserver_current_inflight_requests\{request_kind="readOnly"\} \d+$/m);
  });

  it('writes one structured log line per request', async () => {
    await client.request('GET', `${BASE}/stat`);
    const line = logLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.path === `${BASE}/stat` && l.verb === 'GET');
    assert.ok(line, 'a log line for the request');
    assert.equal(line.user, 'admin');
    assert.equal(line.code, 200);
    assert.equal(line.namespace, 'default');
    assert.equal(typeof line.latencyMs, 'number');
  });

  it('shuts down gracefully: an open watch ends with a complete response', async () => {
    const list = JSON.parse((await client.request('GET', BASE)).body);
    const watch = client.request('GET', `${BASE}?watch=true&resourceVersion=${list.metadata.resourceVersion}`);
    await new Promise((r) => setTimeout(r, 300));
    await server.running.stop();
    const res = await watch;
    assert.equal(res.status, 200, 'the watch response completed instead of breaking');
  });
});
