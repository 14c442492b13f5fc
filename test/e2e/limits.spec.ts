/**
 * Limits that keep a server up under abuse: floods of read-only and mutating
 * requests answered with 429 and Retry-After while health probes and the
 * flooders' later requests still get through, the request timeout (504), and
 * the billion-laughs YAML and deeply nested JSON and YAML refused with 400.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterOf, tlsRequest, writeKubeconfigFor, type TLSResponse } from '../support/credentials';
import { RawClient } from '../support/raw-client';
import { startReviewServer, startWebhookServer, type ReviewServer, type WebhookServer } from '../support/webhook-server';
import { startTestServer, type TestServer } from './server-harness';
import { Widget, WidgetV1 } from './widgets.fixture';

const GROUP = 'e2e.example.com';
const BASE = `/apis/${GROUP}/v1/namespaces/default/widgets`;
const SLOW_WRITE_MS = 1000;
const SLOW_READ_MS = 1000;
const STALLED_MS = 4000;

function widget(name: string, labels?: Record<string, string>): string {
  return JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'Widget', metadata: { name, labels }, spec: { size: 1 } });
}

/** A billion laughs: ten aliases each of nine copies of the one before. */
function billionLaughs(): string {
  const lines = ['apiVersion: e2e.example.com/v1', 'kind: Widget', 'metadata:', '  name: lol', 'spec:', '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const name = String.fromCharCode(97 + i);
    const previous = String.fromCharCode(96 + i);
    lines.push(`  ${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

function tooMany(res: TLSResponse | { status: number; headers: Record<string, unknown>; body: string }): boolean {
  if (res.status !== 429) return false;
  const status = JSON.parse(res.body);
  assert.equal(res.headers['retry-after'], '1');
  assert.equal(status.reason, 'TooManyRequests');
  assert.equal(status.details.retryAfterSeconds, 1);
  return true;
}

describe('e2e: limits', function () {
  this.timeout(60_000);
  let dir: string;
  let hooks: WebhookServer;
  let authorizer: ReviewServer;
  let server: TestServer;
  let client: RawClient;
  let cluster: { server: string; caPem: string };

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'limits-'));
    hooks = await startWebhookServer((_path, request) => ({ allowed: true, delayMs: request.object?.metadata?.labels?.stall ? STALLED_MS : SLOW_WRITE_MS }));
    // Reads by the token user wait for this authorizer, so they stay in flight long enough to pile up.
    authorizer = await startReviewServer(() => ({ body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', status: { allowed: true } }, delayMs: SLOW_READ_MS }));
    writeFileSync(path.join(dir, 'tokens.csv'), 'tok-reader,reader,1\n');
    const authorizerConfig = writeKubeconfigFor({ server: authorizer.url, caPem: authorizer.caPem }, path.join(dir, 'authorizer.kubeconfig'), {});
    server = await startTestServer(
      'sqlite',
      (b) =>
        b.withResource([Widget, WidgetV1]).withAdmissionWebhooks({
          validating: [
            {
              metadata: { name: 'slow' },
              webhooks: [
                {
                  name: 'slow.example.com',
                  clientConfig: { url: `${hooks.url}/slow`, caBundle: hooks.caBundle },
                  rules: [{ operations: ['CREATE'], apiGroups: [GROUP], apiVersions: ['v1'], resources: ['widgets'] }],
                  objectSelector: { matchExpressions: [{ key: 'slow', operator: 'Exists' }] },
                  timeoutSeconds: 10,
                  sideEffects: 'None',
                  admissionReviewVersions: ['v1'],
                },
              ],
            },
          ],
        }),
      [
        '--max-requests-inflight', '3',
        '--max-mutating-requests-inflight', '2',
        '--request-timeout', '2s',
        '--token-auth-file', path.join(dir, 'tokens.csv'),
        '--authorization-mode', 'Webhook',
        '--authorization-webhook-config-file', authorizerConfig,
        '--authorization-webhook-cache-authorized-ttl', '0s',
      ],
    );
    client = new RawClient(server.kubeconfig);
    cluster = clusterOf(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await hooks?.close();
    await authorizer?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers a flood of writes with 429 and Retry-After while probes and reads still get through', async () => {
    const flood = Array.from({ length: 12 }, (_, i) => client.request('POST', BASE, { body: widget(`flood-${i}`, { slow: 'yes' }) }));
    // While the flood is in flight: the server is alive, ready, and serves reads.
    await new Promise((resolve) => setTimeout(resolve, SLOW_WRITE_MS / 4));
    assert.equal((await client.request('GET', '/readyz')).status, 200);
    assert.equal((await client.request('GET', BASE)).status, 200);
    const results = await Promise.all(flood);
    const created = results.filter((r) => r.status === 201).length;
    const refused = results.filter((r) => tooMany(r)).length;
    assert.equal(created + refused, results.length, results.map((r) => r.status).join(','));
    assert.ok(created >= 2 && refused >= 6, `${created} created, ${refused} refused`);
    // The flood over, writes go through again.
    assert.equal((await client.request('POST', BASE, { body: widget('after-flood') })).status, 201);
  });

  it('answers a flood of reads with 429 as well, each read limit apart from the write limit', async () => {
    const flood = Array.from({ length: 12 }, () => tlsRequest(cluster, BASE, { token: 'tok-reader' }));
    await new Promise((resolve) => setTimeout(resolve, SLOW_READ_MS / 4));
    assert.equal((await client.request('GET', '/livez')).status, 200);
    assert.equal((await client.request('POST', BASE, { body: widget('write-during-read-flood') })).status, 201);
    const results = await Promise.all(flood);
    const served = results.filter((r) => r.status === 200).length;
    const refused = results.filter((r) => tooMany(r)).length;
    assert.equal(served + refused, results.length, results.map((r) => r.status).join(','));
    assert.ok(served >= 1 && refused >= 6, `${served} served, ${refused} refused`);
    assert.equal((await tlsRequest(cluster, BASE, { token: 'tok-reader' })).status, 200);
  });

  it('answers 504 when a request runs past --request-timeout', async () => {
    const res = await client.request('POST', BASE, { body: widget('stalled', { slow: 'yes', stall: 'yes' }) });
    assert.equal(res.status, 504, res.body);
    const status = JSON.parse(res.body);
    assert.equal(status.reason, 'Timeout');
    assert.equal(status.message, 'Timeout: request did not complete within the allotted timeout');
  });

  it('refuses a billion laughs with 400, holding little memory, and keeps serving', async () => {
    const before = process.memoryUsage().rss;
    const res = await client.request('POST', BASE, { body: billionLaughs(), contentType: 'application/yaml' });
    assert.equal(res.status, 400, res.body);
    assert.match(JSON.parse(res.body).message, /Excessive alias count indicates a resource exhaustion attack/);
    assert.ok(process.memoryUsage().rss - before < 100 * 1024 * 1024, 'the aliases were expanded');
    assert.equal((await client.request('GET', `${BASE}/lol`)).status, 404);
    assert.equal((await client.request('GET', '/readyz')).status, 200);
  });

  it('refuses JSON and YAML nested too deeply with 400, in bodies and patches', async () => {
    const deep = (open: string, close: string, depth: number) => open.repeat(depth) + close.repeat(depth);
    const json = `{"apiVersion":"${GROUP}/v1","kind":"Widget","metadata":{"name":"deep"},"spec":{"x":${deep('[', ']', 100_000)}}}`;
    const yaml = `apiVersion: ${GROUP}/v1\nkind: Widget\nmetadata:\n  name: deep\nspec:\n  x: ${deep('[', ']', 20_000)}\n`;
    const blockYAML = `apiVersion: ${GROUP}/v1\nkind: Widget\nmetadata:\n  name: deep\nspec:\n  x:\n${'    - '.repeat(1)}${'- '.repeat(20_000)}x\n`;
    for (const [body, contentType] of [
      [json, 'application/json'],
      [yaml, 'application/yaml'],
      [blockYAML, 'application/yaml'],
    ]) {
      const res = await client.request('POST', BASE, { body, contentType });
      assert.equal(res.status, 400, res.body.slice(0, 300));
      assert.match(JSON.parse(res.body).message, /exceeded max depth of 500/);
    }
    await client.request('POST', BASE, { body: widget('target') });
    const patch = await client.request('PATCH', `${BASE}/target`, { body: `{"spec":{"x":${deep('{"a":', '}', 50_000).replace(/\{"a":\}/, '{"a":1}')}}}`, contentType: 'application/merge-patch+json' });
    assert.equal(patch.status, 400, patch.body.slice(0, 300));
    assert.equal((await client.request('GET', '/readyz')).status, 200);
  });
});
