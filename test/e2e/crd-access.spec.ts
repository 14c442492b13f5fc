/**
 * Custom resources behind the server's filters, as typed ones: a cluster-scoped
 * CRD with a version that is not served, in legacy and aggregated discovery;
 * RBAC granting and refusing its verbs to a user; and the audit log recording
 * its requests with their object references and bodies.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clusterOf, writeKubeconfigFor } from '../support/credentials';
import { eventually, kubectl, runKubectl } from '../support/kubectl';
import { RawClient } from '../support/raw-client';
import { yaml } from './crd-fixtures';
import { startTestServer, type TestServer } from './server-harness';

type Plain = Record<string, unknown>;

const GROUP = 'lighting.example.com';
const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const POLICY = `
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: RequestResponse
  resources:
  - group: ${GROUP}
    resources: ["lights"]
- level: None
`;

const LIGHTS_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `lights.${GROUP}` },
  spec: {
    group: GROUP,
    scope: 'Cluster',
    names: { plural: 'lights', kind: 'Light' },
    versions: [
      { name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { lumens: { type: 'integer' } } } } } } },
      { name: 'v1alpha1', served: false, storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } } },
    ],
  },
};

const light = (name: string, lumens: number) => ({ apiVersion: `${GROUP}/v1`, kind: 'Light', metadata: { name }, spec: { lumens } });

interface AuditEvent {
  verb: string;
  stage: string;
  user: { username: string };
  objectRef?: Plain;
  responseStatus?: { code: number };
  requestObject?: Plain;
  responseObject?: Plain;
}

describe('e2e: custom resources in discovery, under RBAC and in the audit log', function () {
  this.timeout(60_000);
  let dir: string;
  let server: TestServer;
  let raw: RawClient;
  let alice: string;
  const admin = (...args: string[]) => kubectl(args, { kubeconfig: server.kubeconfig });
  const auditEvents = (): AuditEvent[] =>
    readFileSync(path.join(dir, 'audit.log'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditEvent);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'crd-access-'));
    writeFileSync(path.join(dir, 'tokens.csv'), 'tok-alice,alice,1001\n');
    writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    server = await startTestServer('sqlite', () => undefined, [
      '--authorization-mode', 'RBAC',
      '--token-auth-file', path.join(dir, 'tokens.csv'),
      '--audit-log-path', path.join(dir, 'audit.log'),
      '--audit-policy-file', path.join(dir, 'policy.yaml'),
    ]);
    raw = new RawClient(server.kubeconfig);
    alice = writeKubeconfigFor(clusterOf(server.kubeconfig), path.join(dir, 'alice'), { token: 'tok-alice' });
    await kubectl(['apply', '-f', '-'], { kubeconfig: server.kubeconfig, input: yaml(LIGHTS_CRD) });
    await admin('wait', '--for=condition=Established', '--timeout=20s', `crd/lights.${GROUP}`);
  });
  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves a cluster-scoped custom resource in its served versions only, in legacy and aggregated discovery', async () => {
    await kubectl(['apply', '-f', '-'], { kubeconfig: server.kubeconfig, input: yaml(light('porch', 800)) });
    assert.match(await admin('get', 'lights'), /^porch\s+\d+s$/m);
    assert.equal((await raw.request('GET', `/apis/${GROUP}/v1/lights/porch`)).status, 200);
    assert.equal((await raw.request('GET', `/apis/${GROUP}/v1alpha1/lights`)).status, 404);
    const group = JSON.parse((await raw.request('GET', `/apis/${GROUP}`)).body) as { versions: { version: string }[] };
    assert.deepEqual(group.versions.map((v) => v.version), ['v1']);
    const aggregated = JSON.parse((await raw.request('GET', '/apis', { accept: AGGREGATED })).body) as { items: { metadata: { name: string }; versions: { version: string; resources: Plain[] }[] }[] };
    const entry = aggregated.items.find((item) => item.metadata.name === GROUP);
    assert.deepEqual(
      entry?.versions.map((v) => ({ version: v.version, resources: v.resources })),
      [
        {
          version: 'v1',
          resources: [
            {
              resource: 'lights',
              responseKind: { group: GROUP, version: 'v1', kind: 'Light' },
              scope: 'Cluster',
              singularResource: 'light',
              verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
            },
          ],
        },
      ],
    );
  });

  it('lets RBAC grant and refuse the verbs of a custom resource, in kube-apiserver\'s words', async () => {
    const refused = await runKubectl(['get', 'lights'], { kubeconfig: alice });
    assert.match(refused.stderr, /lights\.lighting\.example\.com is forbidden: User "alice" cannot list resource "lights" in API group "lighting\.example\.com" at the cluster scope/);
    await admin('create', 'clusterrole', 'light-reader', '--verb=get,list,watch', `--resource=lights.${GROUP}`);
    await admin('create', 'clusterrolebinding', 'alice-reads-lights', '--clusterrole=light-reader', '--user=alice');
    await eventually(async () => assert.match(await kubectl(['get', 'lights'], { kubeconfig: alice }), /porch/));
    const create = await runKubectl(['apply', '-f', '-'], { kubeconfig: alice, input: yaml(light('hall', 300)) });
    assert.notEqual(create.code, 0);
    assert.match(create.stderr, /User "alice" cannot create resource "lights" in API group "lighting\.example\.com" at the cluster scope/);
  });

  it('records custom resource requests in the audit log with their object and bodies', async () => {
    await eventually(() => {
      const events = auditEvents();
      const created = events.find((e) => e.verb === 'create' && e.stage === 'ResponseComplete' && e.objectRef?.name === 'porch');
      assert.ok(created, 'the create of porch is logged');
      assert.deepEqual(created.objectRef, { resource: 'lights', name: 'porch', apiGroup: GROUP, apiVersion: 'v1' });
      assert.equal(created.responseStatus?.code, 201);
      assert.deepEqual((created.requestObject as { spec: Plain }).spec, { lumens: 800 });
      assert.equal((created.responseObject as { kind: string }).kind, 'Light');
      const forbidden = events.find((e) => e.user.username === 'alice' && e.verb === 'create' && e.stage === 'ResponseComplete');
      assert.equal(forbidden?.responseStatus?.code, 403);
    });
  });
});
