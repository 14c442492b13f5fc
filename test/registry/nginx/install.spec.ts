/**
 * The group's Stores over the real SQLite backend: each resource served in v1
 * and v1beta1 with its status subresource, and every write checked against the
 * declared schema (by the Store) and the group's rules (by the strategies),
 * each problem reported once at its field.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import {
  AdmissionChain,
  createStorageFactory,
  newRequestContext,
  Scheme,
  StatusError,
  type APIGroupInfo,
  type KubeObject,
  type StorageFactory,
  type Store,
} from '../../../src/index';
import type { Upstream } from '../../../src/apis/nginx/types';
import { installNginxGroup } from '../../../src/registry/nginx/install';
import { decodeToHub, endpointManifest, upstreamManifest, virtualServerManifest } from '../../apis/nginx/fixtures';

describe('registry/nginx: the group and its Stores', () => {
  let dir: string;
  let factory: StorageFactory;
  let scheme: Scheme;
  let group: APIGroupInfo;
  const ctx = newRequestContext({ namespace: 'default' });
  const store = (plural: string) => group.versionedResources.v1[plural] as Store<KubeObject>;

  /** The causes of the Invalid error a create fails with, as `reason field`. */
  async function createFails(plural: string, manifest: Record<string, unknown>): Promise<string[]> {
    try {
      await store(plural).create(ctx, decodeToHub(scheme, manifest));
    } catch (err) {
      assert.ok(err instanceof StatusError && err.reason === 'Invalid', String(err));
      return (err.status.details?.causes ?? []).map((c) => `${c.reason} ${c.field}`);
    }
    throw new Error('the create succeeded');
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'nginx-registry-'));
    factory = createStorageFactory({ backend: 'sqlite', dataDir: dir });
    scheme = new Scheme();
    group = installNginxGroup({ scheme, storageFor: (gr) => factory.forResource(gr), admission: new AdmissionChain(), logger: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    await factory.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves upstreams, endpoints and virtualservers with /status in v1 and v1beta1, one Store each', () => {
    assert.equal(group.group, 'nginx.example.com');
    for (const version of ['v1', 'v1beta1']) {
      assert.deepEqual(Object.keys(group.versionedResources[version]).sort(), [
        'endpoints',
        'endpoints/status',
        'upstreams',
        'upstreams/status',
        'virtualservers',
        'virtualservers/status',
      ]);
      assert.equal(group.versionedResources[version].upstreams, group.versionedResources[version]['upstreams/status']);
    }
    assert.equal(group.versionedResources.v1.upstreams, group.versionedResources.v1beta1.upstreams);
    assert.deepEqual(scheme.groups(), [{ group: 'nginx.example.com', versions: ['v1', 'v1beta1'] }]);
  });

  it('Upstream: ports 1-65535, weights >= 1, known methods, nginx time values and addresses, each reported once', async () => {
    const causes = await createFails(
      'upstreams',
      upstreamManifest({
        servers: [
          { address: '10.0.0.1', port: 0, weight: 0 },
          { address: '10.0.0.2', port: 65536, failTimeout: 'soon' },
          { address: 'bad host', port: 80 },
        ],
        loadBalancing: { method: 'random' },
      }),
    );
    assert.deepEqual(causes.sort(), [
      'FieldValueInvalid spec.servers[0].port',
      'FieldValueInvalid spec.servers[0].weight',
      'FieldValueInvalid spec.servers[1].failTimeout',
      'FieldValueInvalid spec.servers[1].port',
      'FieldValueInvalid spec.servers[2].address',
      'FieldValueNotSupported spec.loadBalancing.method',
    ]);
  });

  it('Upstream: a v1beta1 server without a port is missing spec.servers[0].port', async () => {
    assert.deepEqual(await createFails('upstreams', upstreamManifest({ servers: [{ address: 'backend.example.com' }] }, 'v1beta1')), [
      'FieldValueRequired spec.servers[0].port',
    ]);
  });

  it('Upstream: a status write is checked against the status schema and leaves the spec alone', async () => {
    await store('upstreams').create(ctx, decodeToHub(scheme, upstreamManifest({ servers: [{ address: '10.0.0.1', port: 80 }] })));
    const writeStatus = (status: string) =>
      store('upstreams').update(ctx, 'web', {
        subresource: 'status',
        objInfo: (current) => {
          const next = current as Upstream;
          next.status = { conditions: [{ type: 'Programmed', status: status as 'True' }] };
          next.spec = undefined;
          return next;
        },
      });
    await assert.rejects(writeStatus('Maybe'), (err: StatusError) => {
      assert.deepEqual(err.status.details?.causes?.map((c) => c.field), ['status.conditions[0].status']);
      return true;
    });
    const { object } = await writeStatus('True');
    assert.deepEqual(object.status, { conditions: [{ type: 'Programmed', status: 'True' }] });
    assert.deepEqual((object.spec as { servers: unknown[] }).servers, [{ address: '10.0.0.1', port: 80, weight: 1 }]);
  });

  it('Endpoint: port range and address', async () => {
    assert.deepEqual((await createFails('endpoints', endpointManifest({ address: '-bad-', port: 70000 }))).sort(), [
      'FieldValueInvalid spec.address',
      'FieldValueInvalid spec.port',
    ]);
  });

  it('VirtualServer: port range and enums are refused; a reference to a missing Upstream is not', async () => {
    const causes = await createFails(
      'virtualservers',
      virtualServerManifest({
        port: 0,
        locations: [
          { path: '/', match: 'glob', upstream: 'web' },
          { path: '/old', redirect: { url: '/new', code: 300 } },
        ],
      }),
    );
    assert.deepEqual(causes.sort(), [
      'FieldValueInvalid spec.port',
      'FieldValueNotSupported spec.locations[0].match',
      'FieldValueNotSupported spec.locations[1].redirect.code',
    ]);
    const created = await store('virtualservers').create(ctx, decodeToHub(scheme, virtualServerManifest({ locations: [{ path: '/', upstream: 'not-yet' }] })));
    assert.equal(created.metadata.name, 'site');
  });
});
