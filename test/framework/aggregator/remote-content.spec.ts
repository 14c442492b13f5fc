/**
 * The aggregator's backends as content for the namespace controller, against a
 * real HTTPS backend: which resources are taken from discovery, what is sent to
 * delete and list them, and how failures read.
 */
import assert from 'node:assert/strict';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { ServiceState } from '../../../src/framework/aggregator/availability-controller';
import type { Backend } from '../../../src/framework/aggregator/backend';
import { remoteNamespacedContent } from '../../../src/framework/aggregator/remote-content';
import type { NamespacedContent } from '../../../src/framework/core/namespace/content';
import { createCertificate } from '../../../src/framework/server/pki/create-certificate';
import type { InstalledGroup } from '../../../src/framework/server/discovery';

interface Recorded {
  method: string;
  path: string;
  user?: string;
  groups?: string;
  body: string;
}

const status = (code: number, message: string) => JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code });

/** What the backend answers, by method and path. */
const ROUTES: Record<string, [number, string]> = {
  'DELETE /apis/shop.example.com/v2/namespaces/team/carts': [200, status(200, 'ok')],
  'GET /apis/shop.example.com/v2/namespaces/team/carts': [200, JSON.stringify({ items: [{ metadata: { name: 'kept', finalizers: ['shop.example.com/hold'] } }] })],
  'DELETE /apis/shop.example.com/v2/namespaces/team/orders': [405, status(405, 'the server does not allow this method on the requested resource')],
  'GET /apis/shop.example.com/v2/namespaces/team/orders': [200, JSON.stringify({ items: [{ metadata: { name: 'o1' } }] })],
  'DELETE /apis/shop.example.com/v2/namespaces/team/orders/o1': [200, '{}'],
  'DELETE /apis/shop.example.com/v2/namespaces/team/refunds': [403, status(403, 'refunds.shop.example.com is forbidden: no')],
  'DELETE /apis/shop.example.com/v1/namespaces/team/legacies': [500, 'not json'],
};

const resource = (name: string, verbs: string[], scope: 'Namespaced' | 'Cluster' = 'Namespaced') => ({
  resource: name,
  responseKind: { group: 'shop.example.com', version: 'v2', kind: name },
  scope,
  singularResource: name,
  verbs,
});

function serviceState(group: string, version: string, versionPriority: number, extra: Partial<ServiceState>): ServiceState {
  return {
    apiService: {
      metadata: { name: `${version}.${group}` },
      spec: { group, version, service: { namespace: 'ns', name: 'svc' }, groupPriorityMinimum: 1000, versionPriority },
    } as ServiceState['apiService'],
    availability: { status: 'True', reason: 'Passed', message: 'all checks passed' },
    ...extra,
  };
}

describe('remoteNamespacedContent', function () {
  this.timeout(20_000);
  let server: https.Server;
  let backend: Backend;
  let unreachable: Backend;
  let recorded: Recorded[];
  let unreachableCalls: number;

  before(async () => {
    const ca = await createCertificate({ usage: 'ca', commonName: 'backend-ca', validDays: 1 });
    const serving = await createCertificate({ usage: 'server', commonName: 'backend', hosts: ['127.0.0.1'], validDays: 1 }, ca);
    server = https.createServer({ cert: serving.certPem, key: serving.keyPem }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        recorded.push({ method: req.method!, path: req.url!, user: req.headers['x-remote-user'] as string, groups: req.headers['x-remote-group'] as string, body: Buffer.concat(chunks).toString() });
        const [code, body] = ROUTES[`${req.method} ${req.url}`] ?? [404, status(404, 'not found')];
        res.writeHead(code, { 'content-type': 'application/json' }).end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    backend = { groupVersion: 'shop.example.com/v2', baseURL: new URL(`https://127.0.0.1:${port}`), agent: new https.Agent({ ca: ca.certPem }) };
    unreachable = { groupVersion: 'gone.example.com/v1', baseURL: new URL('https://127.0.0.1:1'), agent: new https.Agent({ ca: ca.certPem }) };
  });
  after(() => {
    server?.close();
    backend?.agent.destroy();
    unreachable?.agent.destroy();
  });
  beforeEach(() => {
    recorded = [];
    unreachableCalls = 0;
  });

  async function discover(): Promise<{ byName: Map<string, NamespacedContent>; failedGroups: Map<string, string> }> {
    const services = [
      serviceState('shop.example.com', 'v2', 20, {
        backend,
        discovery: {
          version: 'v2',
          resources: [
            resource('carts', ['create', 'delete', 'deletecollection', 'get', 'list']),
            resource('orders', ['delete', 'deletecollection', 'get', 'list']),
            resource('refunds', ['delete', 'deletecollection', 'list']),
            resource('catalogs', ['delete', 'deletecollection', 'list'], 'Cluster'),
            resource('reports', ['get', 'list']),
          ],
        },
      }),
      serviceState('shop.example.com', 'v1', 10, { backend, discovery: { version: 'v1', resources: [resource('carts', ['delete', 'list']), resource('legacies', ['delete', 'deletecollection'])] } }),
      serviceState('down.example.com', 'v1', 15, { availability: { status: 'False', reason: 'FailedDiscoveryCheck', message: 'failing or missing response' } }),
      serviceState('gone.example.com', 'v1', 15, { backend: unreachable, discovery: { version: 'v1', resources: [resource('things', ['delete', 'deletecollection', 'list'])] } }),
      serviceState('local.example.com', 'v1', 15, { availability: { status: 'False', reason: 'ServiceNotFound', message: 'no service' } }),
    ];
    const source = remoteNamespacedContent({
      services: () => services,
      localGroups: () => [{ group: 'local.example.com', versions: ['v1'], resources: new Map() } as InstalledGroup],
      onUnreachable: () => unreachableCalls++,
    });
    const { resources, failedGroups } = await source();
    return { byName: new Map(resources.map((r) => [`${r.resource.resource}.${r.resource.group}/${r.resource.version}`, r])), failedGroups };
  }

  it('takes each namespaced resource that supports delete from the most preferred version, and names unavailable group versions as discovery failures', async () => {
    const { byName, failedGroups } = await discover();
    assert.deepEqual([...byName.keys()].sort(), [
      'carts.shop.example.com/v2',
      'legacies.shop.example.com/v1',
      'orders.shop.example.com/v2',
      'refunds.shop.example.com/v2',
      'things.gone.example.com/v1',
    ]);
    assert.deepEqual([...failedGroups], [['down.example.com/v1', 'the server is currently unable to handle the request (v1.down.example.com is not available: failing or missing response)']]);
  });

  it('deletes the collection in the background as the namespace controller, then lists the finalizers of what is left', async () => {
    const carts = (await discover()).byName.get('carts.shop.example.com/v2')!;
    await carts.deleteAll('team');
    assert.deepEqual(await carts.remaining('team'), [['shop.example.com/hold']]);
    assert.deepEqual(recorded.map((r) => `${r.method} ${r.path}`), ['DELETE /apis/shop.example.com/v2/namespaces/team/carts', 'GET /apis/shop.example.com/v2/namespaces/team/carts']);
    assert.equal(recorded[0].user, 'system:serviceaccount:kube-system:namespace-controller');
    assert.equal(recorded[0].groups, 'system:serviceaccounts, system:serviceaccounts:kube-system, system:authenticated');
    assert.deepEqual(JSON.parse(recorded[0].body), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
  });

  it('lists and deletes one by one where the collection cannot be deleted', async () => {
    await (await discover()).byName.get('orders.shop.example.com/v2')!.deleteAll('team');
    assert.deepEqual(recorded.map((r) => `${r.method} ${r.path}`), [
      'DELETE /apis/shop.example.com/v2/namespaces/team/orders',
      'GET /apis/shop.example.com/v2/namespaces/team/orders',
      'DELETE /apis/shop.example.com/v2/namespaces/team/orders/o1',
    ]);
  });

  it("fails with the backend's Status message, its status code when it sent none, or the unreachable service (probed again at once)", async () => {
    const { byName } = await discover();
    await assert.rejects(byName.get('refunds.shop.example.com/v2')!.deleteAll('team'), { message: 'refunds.shop.example.com is forbidden: no' });
    await assert.rejects(byName.get('legacies.shop.example.com/v1')!.deleteAll('team'), { message: 'the server responded with the status code 500' });
    assert.equal(await byName.get('legacies.shop.example.com/v1')!.remaining('team'), undefined);
    assert.equal(unreachableCalls, 0);
    await assert.rejects(byName.get('things.gone.example.com/v1')!.deleteAll('team'), /^Error: error trying to reach service: /);
    assert.equal(unreachableCalls, 1);
  });
});
