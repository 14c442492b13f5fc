import assert from 'node:assert/strict';
import type { Store } from '../../../src/framework/registry/store';
import { Scheme } from '../../../src/framework/runtime';
import { mergeAPIGroupInfos, type APIGroupInfo } from '../../../src/framework/server/api-group-info';

describe('mergeAPIGroupInfos', () => {
  const scheme = new Scheme();
  // Stand-ins: merging only moves Stores around.
  const namespaces = {} as Store;
  const configmaps = {} as Store;
  const upstreams = {} as Store;
  const info = (group: string, versionedResources: APIGroupInfo['versionedResources']): APIGroupInfo => ({ group, scheme, versionedResources });

  it('serves the resources several installers give one group together, and leaves the inputs as they were', () => {
    const core = info('', { v1: { namespaces, 'namespaces/status': namespaces } });
    const merged = mergeAPIGroupInfos([core, info('nginx.example.com', { v1: { upstreams } }), info('', { v1: { configmaps } })]);
    assert.deepEqual(
      merged.map((g) => [g.group, Object.keys(g.versionedResources.v1)]),
      [
        ['', ['namespaces', 'namespaces/status', 'configmaps']],
        ['nginx.example.com', ['upstreams']],
      ],
    );
    assert.equal(merged[0].versionedResources.v1.configmaps, configmaps);
    assert.deepEqual(Object.keys(core.versionedResources.v1), ['namespaces', 'namespaces/status']);
  });

  it('refuses one resource given twice', () => {
    assert.throws(() => mergeAPIGroupInfos([info('', { v1: { configmaps } }), info('', { v1: { configmaps } })]), /v1\/configmaps of group "" is installed twice/);
  });
});
