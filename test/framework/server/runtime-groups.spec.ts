/**
 * Groups installed while the server serves: routes, discovery and OpenAPI pick
 * them up, installing a group again replaces what it served, and an
 * uninstalled group is gone from all three while its stored objects stay.
 */
import assert from 'node:assert/strict';
import { Field, Hub, KubeObject, Resource, Store, type APIGroupInfo, type GroupInstallContext } from '../../../src/index';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { RawClient } from '../../support/raw-client';

const GROUP = 'runtime.example.com';

class GadgetSpec {
  @Field(() => Number, { type: 'integer' })
  size?: number;
}

@Hub({ group: GROUP, kind: 'Gadget' })
class Gadget extends KubeObject {
  @Field(() => GadgetSpec)
  spec?: GadgetSpec;
}

@Resource({ group: GROUP, version: 'v1', kind: 'Gadget', plural: 'gadgets', scope: 'Cluster' })
class GadgetV1 extends Gadget {}

@Hub({ group: GROUP, kind: 'Gizmo' })
class Gizmo extends KubeObject {}

@Resource({ group: GROUP, version: 'v1', kind: 'Gizmo', plural: 'gizmos', scope: 'Cluster' })
class GizmoV1 extends Gizmo {}

describe('framework/server: groups installed while serving', function () {
  this.timeout(30_000);
  let server: TestServer;
  let raw: RawClient;
  let ctx: GroupInstallContext;
  const stores: Record<string, Store> = {};

  /** The group with the given resources, each with one Store for the whole test. */
  function group(...plurals: string[]): APIGroupInfo {
    for (const plural of plurals) {
      const resource = ctx.scheme.resourceInfo({ group: GROUP, version: 'v1', resource: plural });
      if (!resource) throw new Error(`${plural} not registered`);
      stores[plural] ??= new Store({ scheme: ctx.scheme, resource, storage: ctx.storageFor({ group: GROUP, resource: plural }) });
    }
    return { group: GROUP, scheme: ctx.scheme, versionedResources: { v1: Object.fromEntries(plurals.map((p) => [p, stores[p]])) } };
  }

  const served = async (path: string) => (await raw.request('GET', path)).status;
  const groupNames = async () => (JSON.parse((await raw.request('GET', '/apis')).body) as { groups: { name: string }[] }).groups.map((g) => g.name);

  before(async () => {
    server = await startTestServer('sqlite', (builder) =>
      builder.withGroup({
        name: 'runtime',
        install(installContext) {
          ctx = installContext;
          ctx.scheme.addKnownTypes(Gadget, GadgetV1, Gizmo, GizmoV1);
          return [];
        },
      }),
    );
    raw = new RawClient(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it('serves a group installed after start, in discovery and OpenAPI too', async () => {
    assert.equal(await served(`/apis/${GROUP}/v1/gadgets`), 404);
    server.running.server.installAPIGroup(group('gadgets'));
    const body = JSON.stringify({ apiVersion: `${GROUP}/v1`, kind: 'Gadget', metadata: { name: 'g' }, spec: { size: 1 } });
    assert.equal((await raw.request('POST', `/apis/${GROUP}/v1/gadgets`, { body, contentType: 'application/json' })).status, 201);
    assert.equal(await served(`/apis/${GROUP}/v1/gadgets/g`), 200);
    assert.ok((await groupNames()).includes(GROUP));
    assert.equal(await served(`/openapi/v3/apis/${GROUP}/v1`), 200);
  });

  it('replaces the routes when the group is installed again', async () => {
    server.running.server.installAPIGroup(group('gizmos'));
    assert.equal(await served(`/apis/${GROUP}/v1/gizmos`), 200);
    assert.equal(await served(`/apis/${GROUP}/v1/gadgets/g`), 404);
    const resources = JSON.parse((await raw.request('GET', `/apis/${GROUP}/v1`)).body) as { resources: { name: string }[] };
    assert.deepEqual(resources.resources.map((r) => r.name), ['gizmos']);
  });

  it('stops serving an uninstalled group; its objects are there when it comes back', async () => {
    server.running.server.uninstallAPIGroup(GROUP);
    assert.equal(await served(`/apis/${GROUP}/v1/gizmos`), 404);
    assert.equal(await served(`/apis/${GROUP}`), 404);
    assert.ok(!(await groupNames()).includes(GROUP));
    server.running.server.installAPIGroup(group('gadgets', 'gizmos'));
    assert.equal(await served(`/apis/${GROUP}/v1/gadgets/g`), 200);
  });
});
