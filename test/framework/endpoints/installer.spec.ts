import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Router from '@koa/router';
import { Field, Hub, KubeObject, Resource, Scheme, Store } from '../../../src/index';
import { installResource } from '../../../src/framework/endpoints/installer';
import type { ApiState } from '../../../src/framework/endpoints/scope';
import { createStorageFactory, type StorageFactory } from '../../../src/framework/storage/factory';
import { Widget, WidgetV1 } from '../../e2e/widgets.fixture';

@Hub({ group: 'installer.example.com', kind: 'Plain' })
class Plain extends KubeObject {
  @Field(() => Object, { preserveUnknownFields: true })
  spec?: Record<string, unknown>;
}

@Resource({ group: 'installer.example.com', version: 'v1', kind: 'Plain', plural: 'plains', scope: 'Namespaced' })
class PlainV1 extends Plain {}

describe('endpoints/installer', () => {
  let dir: string;
  let factory: StorageFactory;
  let scheme: Scheme;
  const install = { maxRequestBodyBytes: 1024, shutdown: new AbortController().signal };

  function storeFor(group: string, plural: string): Store {
    const resource = scheme.resourceInfo({ group, version: 'v1', resource: plural });
    return new Store({ scheme, resource: resource!, storage: factory.forResource({ group, resource: plural }) });
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'installer-spec-'));
    factory = createStorageFactory({ backend: 'sqlite', dataDir: dir });
    scheme = new Scheme().addKnownTypes(Widget, WidgetV1, Plain, PlainV1);
  });
  afterEach(async () => {
    await factory.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('installs the status and scale subresources listed, scale as an autoscaling/v1 Scale', () => {
    const installed = installResource(new Router<ApiState>(), { ...install, scheme }, {
      group: 'e2e.example.com',
      version: 'v1',
      plural: 'widgets',
      store: storeFor('e2e.example.com', 'widgets'),
      subresources: ['status', 'scale'],
    });
    assert.deepEqual(installed.subresources, {
      status: { verbs: ['get', 'patch', 'update'], kind: { group: 'e2e.example.com', version: 'v1', kind: 'Widget' } },
      scale: { verbs: ['get', 'patch', 'update'], kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' } },
    });
  });

  it('refuses a scale subresource the type does not declare, and subresources it cannot serve', () => {
    const store = storeFor('installer.example.com', 'plains');
    const plains = (subresources: string[]) => () =>
      installResource(new Router<ApiState>(), { ...install, scheme }, { group: 'installer.example.com', version: 'v1', plural: 'plains', store, subresources });
    assert.throws(plains(['scale']), /^Error: plains\/scale: PlainV1 declares no scale subresource \(its replicas paths\)$/);
    assert.throws(plains(['log']), /^Error: plains\/log: only the status and scale subresources can be served$/);
  });
});
