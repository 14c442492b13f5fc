/**
 * The controller in the server's process, against the real server and the real
 * `nginx -t` (the reload is `true`: no traffic here, the e2e test has that):
 * the statuses it writes back for references, Endpoints, conflicts and
 * upstreams without servers.
 */
import assert from 'node:assert/strict';
import YAML from 'yaml';
import type { Condition, KubeObject } from '../../../src/index';
import { loadClientConfig, RESTClient, ResourceClient } from '../../../src/framework/client';
import { nginxGroup } from '../../../src/apis/nginx/group';
import { GROUP } from '../../../src/apis/nginx/types';
import { EndpointV1, UpstreamV1, VirtualServerV1 } from '../../../src/apis/nginx/v1/types';
import { eventually } from '../../support/kubectl';
import { startTestServer, type TestServer } from '../../e2e/server-harness';
import { nginxScheme } from '../../apis/nginx/fixtures';
import { makeNginxPrefix, NGINX, type NginxPrefix } from './nginx-process';

type Conditions = { conditions?: Condition[] } | undefined;

function condition(status: Conditions, type: string): Pick<Condition, 'status' | 'reason' | 'message'> | undefined {
  const c = status?.conditions?.find((x) => x.type === type);
  return c && { status: c.status, reason: c.reason, message: c.message };
}

describe('controllers/nginx: NginxController in the server', function () {
  this.timeout(30_000);
  const scheme = nginxScheme();
  let prefix: NginxPrefix;
  let server: TestServer;
  let rest: RESTClient;
  let upstreams: ResourceClient<UpstreamV1>;
  let endpoints: ResourceClient<EndpointV1>;
  let virtualServers: ResourceClient<VirtualServerV1>;

  function create<T extends KubeObject>(client: ResourceClient<T>, kind: string, name: string, spec: Record<string, unknown>, labels?: Record<string, string>): Promise<T> {
    const manifest = { apiVersion: `${GROUP}/v1`, kind, metadata: { name, labels }, spec };
    return client.create(scheme.decode(YAML.stringify(manifest)).object as T);
  }

  before(async () => {
    prefix = makeNginxPrefix();
    const flags = { enabled: true, binary: NGINX, prefix: prefix.prefix, conf: prefix.conf, configDir: prefix.configDir, reloadCommand: 'true', listenAddress: '127.0.0.1' };
    server = await startTestServer('sqlite', (b) => b.withGroup(nginxGroup(flags)));
    rest = new RESTClient(loadClientConfig(server.kubeconfig));
    upstreams = new ResourceClient(rest, scheme, UpstreamV1).inNamespace('default');
    endpoints = new ResourceClient(rest, scheme, EndpointV1).inNamespace('default');
    virtualServers = new ResourceClient(rest, scheme, VirtualServerV1).inNamespace('default');
  });
  after(async () => {
    rest?.close();
    await server?.stop();
    prefix?.remove();
  });

  it('accepts a VirtualServer whose Upstream is missing but does not program it, and programs it once the Upstream exists', async () => {
    const vs = await create(virtualServers, 'VirtualServer', 'early', { serverNames: ['early.example.com'], port: 18101, locations: [{ path: '/', upstream: 'late' }] });
    await eventually(async () => {
      const status = (await virtualServers.get('early')).status;
      assert.deepEqual(condition(status, 'Accepted'), { status: 'True', reason: 'Accepted', message: 'The spec is valid.' });
      assert.deepEqual(condition(status, 'Programmed'), {
        status: 'False',
        reason: 'UpstreamNotFound',
        message: 'Upstream late does not exist; its locations answer 502.',
      });
      assert.equal(status?.observedGeneration, vs.metadata.generation);
    });
    await create(upstreams, 'Upstream', 'late', { servers: [{ address: '127.0.0.1', port: 18102 }] });
    await eventually(async () => {
      assert.equal(condition((await virtualServers.get('early')).status, 'Programmed')?.status, 'True');
      const ups = await upstreams.get('late');
      assert.deepEqual(condition(ups.status, 'Programmed'), { status: 'True', reason: 'Programmed', message: 'nginx runs this configuration.' });
      assert.equal(ups.status?.serverCount, 1);
    });
  });

  it("lists an Endpoint in the Upstreams that select it, and the Upstreams' servers follow the Endpoints", async () => {
    await create(upstreams, 'Upstream', 'pool', { endpointSelector: { matchLabels: { pool: 'a' } } });
    await eventually(async () => assert.equal(condition((await upstreams.get('pool')).status, 'Programmed')?.reason, 'NoServers'));
    await create(endpoints, 'Endpoint', 'vm-1', { address: '10.1.0.1', port: 8080, zone: 'rack-1' }, { pool: 'a' });
    await create(endpoints, 'Endpoint', 'vm-2', { address: '10.1.0.2', port: 8080, weight: 2 }, { pool: 'b' });
    await eventually(async () => {
      assert.deepEqual((await endpoints.get('vm-1')).status?.upstreams, ['pool']);
      assert.deepEqual((await endpoints.get('vm-2')).status?.upstreams, []);
      const ups = await upstreams.get('pool');
      assert.deepEqual(ups.status?.servers?.map((s) => [s.address, s.port, s.weight, s.endpoint]), [['10.1.0.1', 8080, 1, 'vm-1']]);
      assert.equal(condition(ups.status, 'Programmed')?.status, 'True');
    });
    await endpoints.patch('vm-2', { metadata: { labels: { pool: 'a' } } });
    await endpoints.delete('vm-1');
    await eventually(async () => {
      assert.deepEqual((await endpoints.get('vm-2')).status?.upstreams, ['pool']);
      assert.deepEqual((await upstreams.get('pool')).status?.servers?.map((s) => s.endpoint), ['vm-2']);
    });
  });

  it('refuses a second VirtualServer for a host and port another one has', async () => {
    const locations = [{ path: '/', return: { code: 200 } }];
    await create(virtualServers, 'VirtualServer', 'first', { serverNames: ['shared.example.com'], port: 18103, locations });
    await eventually(async () => assert.equal(condition((await virtualServers.get('first')).status, 'Programmed')?.status, 'True'));
    await create(virtualServers, 'VirtualServer', 'second', { serverNames: ['shared.example.com'], port: 18103, locations });
    await eventually(async () => {
      const status = (await virtualServers.get('second')).status;
      const why = 'host shared.example.com on port 18103 is already served by VirtualServer default/first';
      assert.deepEqual(condition(status, 'Accepted'), { status: 'False', reason: 'Conflicted', message: why });
      assert.deepEqual(condition(status, 'Programmed'), { status: 'False', reason: 'Conflicted', message: why });
    });
  });
});
