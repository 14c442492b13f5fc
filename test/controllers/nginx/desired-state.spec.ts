/**
 * What the controller wants nginx to run, from the objects: resolved servers
 * (listed, then selected Endpoints), which VirtualServer keeps a contested host,
 * and which Upstreams select each Endpoint.
 */
import assert from 'node:assert/strict';
import type { Endpoint, Upstream, VirtualServer } from '../../../src/apis/nginx/types';
import { desiredState } from '../../../src/controllers/nginx/desired-state';
import { decodeToHub, endpointManifest, nginxScheme, upstreamManifest, virtualServerManifest } from '../../apis/nginx/fixtures';

const scheme = nginxScheme();

function named<T extends Upstream | Endpoint | VirtualServer>(obj: T, name: string, namespace = 'default', created = '2026-01-01T00:00:00Z'): T {
  obj.metadata.name = name;
  obj.metadata.namespace = namespace;
  obj.metadata.creationTimestamp = created;
  return obj;
}

const upstream = (name: string, spec: Record<string, unknown>, namespace?: string) => named(decodeToHub<Upstream>(scheme, upstreamManifest(spec)), name, namespace);
const endpoint = (name: string, spec: Record<string, unknown>, labels: Record<string, string>, namespace?: string) =>
  named(decodeToHub<Endpoint>(scheme, endpointManifest(spec, labels)), name, namespace);
const virtualServer = (name: string, spec: Record<string, unknown>, created: string) => named(decodeToHub<VirtualServer>(scheme, virtualServerManifest(spec)), name, 'default', created);

describe('controllers/nginx: desired state', () => {
  it('gives an upstream its listed servers, then the Endpoints of its namespace that it selects, each address:port once', () => {
    const web = upstream('web', { servers: [{ address: '10.0.0.1', port: 80, weight: 2 }], endpointSelector: { matchLabels: { app: 'web' } } });
    const state = desiredState({
      upstreams: [web],
      endpoints: [
        endpoint('vm-b', { address: '10.0.0.3', port: 80, weight: 5 }, { app: 'web' }),
        endpoint('vm-a', { address: '10.0.0.2', port: 80 }, { app: 'web' }),
        endpoint('dup', { address: '10.0.0.1', port: 80 }, { app: 'web' }),
        endpoint('other-app', { address: '10.0.0.9', port: 80 }, { app: 'db' }),
        endpoint('other-ns', { address: '10.0.0.8', port: 80 }, { app: 'web' }, 'prod'),
      ],
      virtualServers: [],
    });
    const plan = state.upstreams.get('default/web');
    assert.deepEqual(
      plan?.servers.map((s) => [s.address, s.weight, s.endpoint]),
      [
        ['10.0.0.1', 2, undefined],
        ['10.0.0.2', 1, 'vm-a'],
        ['10.0.0.3', 5, 'vm-b'],
      ],
    );
    assert.equal(plan?.file, 'ups_default_web.conf');
    assert.match(plan?.content ?? '', /upstream default_web \{/);
    assert.deepEqual(state.endpointUpstreams.get('default/vm-a'), ['web']);
    assert.deepEqual(state.endpointUpstreams.get('default/dup'), ['web']);
    assert.deepEqual(state.endpointUpstreams.get('default/other-app'), []);
    assert.deepEqual(state.endpointUpstreams.get('prod/other-ns'), []);
  });

  it('has no file for an upstream without servers', () => {
    const state = desiredState({ upstreams: [upstream('empty', { endpointSelector: { matchLabels: { app: 'none' } } })], endpoints: [], virtualServers: [] });
    assert.equal(state.upstreams.get('default/empty')?.content, null);
    assert.deepEqual(state.config.upstreams, [{ key: 'default/empty', file: 'ups_default_empty.conf', content: null }]);
  });

  it('lets the oldest VirtualServer keep a host (or the catch-all) on a port; later claimants conflict and get no file', () => {
    const locations = [{ path: '/', return: { code: 200 } }];
    const state = desiredState({
      upstreams: [],
      endpoints: [],
      virtualServers: [
        virtualServer('newer', { serverNames: ['b.example.com', 'a.example.com'], locations }, '2026-01-02T00:00:00Z'),
        virtualServer('older', { serverNames: ['a.example.com'], locations }, '2026-01-01T00:00:00Z'),
        virtualServer('other-port', { serverNames: ['a.example.com'], port: 8080, locations }, '2026-01-03T00:00:00Z'),
        virtualServer('catch-all-1', { locations }, '2026-01-01T00:00:00Z'),
        virtualServer('catch-all-2', { locations }, '2026-01-02T00:00:00Z'),
      ],
    });
    const conflict = (name: string) => state.virtualServers.get(`default/${name}`)?.conflict;
    assert.equal(conflict('older'), undefined);
    assert.equal(conflict('other-port'), undefined);
    assert.equal(conflict('catch-all-1'), undefined);
    assert.equal(conflict('newer'), 'host a.example.com on port 80 is already served by VirtualServer default/older');
    assert.equal(conflict('catch-all-2'), 'the catch-all server (no serverNames) on port 80 is already served by VirtualServer default/catch-all-1');
    assert.deepEqual([...state.config.renderVirtualServers(new Set()).keys()].sort(), [
      'vs_default_catch-all-1.conf',
      'vs_default_older.conf',
      'vs_default_other-port.conf',
    ]);
  });
});
