/**
 * The life of CRDs in a running server, through its HTTP API: names in conflict
 * wait until they are free, a group of the server's own types cannot be joined,
 * a changed schema applies to stored objects on read, the classes of a replaced
 * or deleted CRD are let go, and a CRD being deleted refuses new objects and
 * waits for the finalizers of the old ones.
 */
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { Widget, WidgetV1 } from '../../e2e/widgets.fixture';
import { eventually } from '../../support/kubectl';
import { RawClient } from '../../support/raw-client';

type Plain = Record<string, unknown>;

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const GROUP = 'toys.example.com';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

function crd(plural: string, kind: string, options: { group?: string; shortNames?: string[]; spec?: Plain } = {}): Plain {
  const group = options.group ?? GROUP;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: 'Namespaced',
      names: { plural, kind, shortNames: options.shortNames },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: options.spec ?? { type: 'object', properties: { size: { type: 'integer' } } } } } },
        },
      ],
    },
  };
}

describe('apiextensions: CRDs in a running server', function () {
  this.timeout(30_000);
  let server: TestServer;
  let raw: RawClient;

  const request = async (method: string, path: string, body?: unknown, contentType?: string) => {
    const res = await raw.request(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType });
    return { status: res.status, body: res.body ? (JSON.parse(res.body) as Plain) : {} };
  };
  const condition = async (name: string, type: string) => {
    const { body } = await request('GET', `${CRDS}/${name}`);
    const conditions = ((body.status as Plain | undefined)?.conditions ?? []) as Plain[];
    return conditions.find((c) => c.type === type);
  };
  const create = async (obj: Plain) => {
    const res = await request('POST', CRDS, obj);
    assert.equal(res.status, 201, JSON.stringify(res.body));
  };
  const established = (name: string) => eventually(async () => assert.equal((await condition(name, 'Established'))?.status, 'True'));

  before(async () => {
    server = await startTestServer('sqlite', (b) => b.withResource([Widget, WidgetV1]));
    raw = new RawClient(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('refuses names another CRD of the group has, and accepts them once that CRD is gone', async () => {
    await create(crd('gadgets', 'Gadget', { shortNames: ['gd'] }));
    await established(`gadgets.${GROUP}`);
    await create(crd('gizmos', 'Gizmo', { shortNames: ['gd'] }));
    await eventually(async () =>
      assert.deepEqual(await condition(`gizmos.${GROUP}`, 'NamesAccepted'), {
        type: 'NamesAccepted',
        status: 'False',
        reason: 'ShortNamesConflict',
        message: '"gd" is already in use',
        lastTransitionTime: (await condition(`gizmos.${GROUP}`, 'NamesAccepted'))?.lastTransitionTime,
      }),
    );
    assert.equal((await condition(`gizmos.${GROUP}`, 'Established'))?.reason, 'NotAccepted');
    assert.equal((await request('GET', `/apis/${GROUP}/v1/namespaces/default/gizmos`)).status, 404);

    assert.equal((await request('DELETE', `${CRDS}/gadgets.${GROUP}`)).status, 200);
    await established(`gizmos.${GROUP}`);
    assert.equal((await request('GET', `/apis/${GROUP}/v1/namespaces/default/gizmos`)).status, 200);
    const discovery = await request('GET', `/apis/${GROUP}/v1`);
    assert.deepEqual((discovery.body.resources as Plain[]).map((r) => [r.name, r.shortNames]), [['gizmos', ['gd']]]);
  });

  it('does not let a CRD join a group the server serves with its own types', async () => {
    await create(crd('things', 'Thing', { group: 'e2e.example.com' }));
    await eventually(async () => assert.equal((await condition('things.e2e.example.com', 'NamesAccepted'))?.reason, 'GroupConflict'));
    assert.equal((await request('GET', '/apis/e2e.example.com/v1/namespaces/default/widgets')).status, 200);
    assert.equal((await request('GET', '/apis/e2e.example.com/v1/namespaces/default/things')).status, 404);
  });

  it('applies a changed schema to stored objects when they are read: new defaults, dropped fields', async () => {
    await create(crd('robots', 'Robot', { spec: { type: 'object', properties: { size: { type: 'integer' }, arms: { type: 'integer' } } } }));
    await established(`robots.${GROUP}`);
    const robot = { apiVersion: `${GROUP}/v1`, kind: 'Robot', metadata: { name: 'r2' }, spec: { size: 2, arms: 4 } };
    assert.equal((await request('POST', `/apis/${GROUP}/v1/namespaces/default/robots`, robot)).status, 201);

    const current = await request('GET', `${CRDS}/robots.${GROUP}`);
    const changed = crd('robots', 'Robot', { spec: { type: 'object', properties: { size: { type: 'integer' }, legs: { type: 'integer', default: 2 } } } });
    (changed.metadata as Plain).resourceVersion = (current.body.metadata as Plain).resourceVersion;
    assert.equal((await request('PUT', `${CRDS}/robots.${GROUP}`, changed)).status, 200);
    await eventually(async () => assert.deepEqual((await request('GET', `/apis/${GROUP}/v1/namespaces/default/robots/r2`)).body.spec, { size: 2, legs: 2 }));
    const openapi = await request('GET', `/openapi/v3/apis/${GROUP}/v1`);
    const schema = ((openapi.body.components as Plain).schemas as Record<string, { properties: { spec: { properties: Plain } } }>)[`com.example.toys.v1.Robot`];
    assert.deepEqual(Object.keys(schema.properties.spec.properties), ['size', 'legs']);
  });

  it('lets go of the classes of a changed or deleted CRD, and serves one created again by its new schema only', async () => {
    const lamps = `/apis/${GROUP}/v1/namespaces/default/lamps`;
    const lamp = (name: string, size: unknown) => ({ apiVersion: `${GROUP}/v1`, kind: 'Lamp', metadata: { name }, spec: { size } });
    /** A weak reference to the class now serving lamps; nothing else here holds it. */
    const servedClass = () => {
      const served = server.running.server.installedResources().find((r) => r.info.gvk.group === GROUP && r.info.plural === 'lamps');
      assert.ok(served, 'lamps are served');
      return new WeakRef(served.info.type);
    };
    const collected = (ref: WeakRef<object>) =>
      eventually(async () => {
        // A WeakRef holds its target until the current job ends: collect after it.
        await new Promise((resolve) => setImmediate(resolve));
        collectGarbage();
        assert.equal(ref.deref(), undefined, 'the class is still referenced');
      });

    await create(crd('lamps', 'Lamp', { spec: { type: 'object', properties: { size: { type: 'integer' } } } }));
    await established(`lamps.${GROUP}`);
    assert.equal((await request('POST', lamps, lamp('a', 1))).status, 201);
    const first = servedClass();

    const current = await request('GET', `${CRDS}/lamps.${GROUP}`);
    const changed = crd('lamps', 'Lamp', { spec: { type: 'object', properties: { size: { type: 'string' } } } });
    (changed.metadata as Plain).resourceVersion = (current.body.metadata as Plain).resourceVersion;
    assert.equal((await request('PUT', `${CRDS}/lamps.${GROUP}`, changed)).status, 200);
    await eventually(async () => assert.equal((await request('POST', lamps, lamp('b', 'large'))).status, 201));
    await collected(first);

    const second = servedClass();
    assert.equal((await request('DELETE', `${CRDS}/lamps.${GROUP}`)).status, 200);
    await eventually(async () => assert.equal((await request('GET', `${CRDS}/lamps.${GROUP}`)).status, 404));
    await collected(second);

    await create(crd('lamps', 'Lamp', { spec: { type: 'object', properties: { lit: { type: 'boolean' } } } }));
    await established(`lamps.${GROUP}`);
    const refused = await request('POST', lamps, { ...lamp('c', 'large'), spec: { lit: 'yes' } });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.message, 'Lamp.toys.example.com "c" is invalid: spec.lit: Invalid value: "yes": must be of type boolean');
    const created = await request('POST', lamps, lamp('d', 'large'));
    assert.equal(created.status, 201);
    assert.deepEqual(created.body.spec, {}, 'size is no field of the new schema');
    const openapi = await request('GET', `/openapi/v3/apis/${GROUP}/v1`);
    const schema = ((openapi.body.components as Plain).schemas as Record<string, { properties: { spec: { properties: Plain } } }>)[`com.example.toys.v1.Lamp`];
    assert.deepEqual(schema.properties.spec.properties, { lit: { type: 'boolean' } });
  });

  it('refuses new objects of a CRD being deleted and waits for the finalizers of the old ones', async () => {
    await create(crd('ducks', 'Duck'));
    await established(`ducks.${GROUP}`);
    const ducks = `/apis/${GROUP}/v1/namespaces/default/ducks`;
    const duck = (name: string, finalizers?: string[]) => ({ apiVersion: `${GROUP}/v1`, kind: 'Duck', metadata: { name, finalizers }, spec: { size: 1 } });
    assert.equal((await request('POST', ducks, duck('kept', ['example.com/hold']))).status, 201);
    assert.equal((await request('POST', ducks, duck('plain'))).status, 201);

    assert.equal((await request('DELETE', `${CRDS}/ducks.${GROUP}`)).status, 200);
    await eventually(async () => assert.equal((await condition(`ducks.${GROUP}`, 'Terminating'))?.reason, 'InstanceDeletionInProgress'));
    await eventually(async () => assert.equal((await request('GET', `${ducks}/plain`)).status, 404));
    const refused = await request('POST', ducks, duck('late'));
    assert.deepEqual([refused.status, refused.body.reason, refused.body.message], [405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating']);
    const kept = await request('GET', `${ducks}/kept`);
    assert.ok((kept.body.metadata as Plain).deletionTimestamp, 'the object with a finalizer is being deleted');
    assert.equal((await request('GET', `${CRDS}/ducks.${GROUP}`)).status, 200, 'the CRD waits for it');

    const release = await request('PATCH', `${ducks}/kept`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(release.status, 200);
    await eventually(async () => assert.equal((await request('GET', `${CRDS}/ducks.${GROUP}`)).status, 404), 10_000);
    assert.equal((await request('GET', ducks)).status, 404);
  });
});
