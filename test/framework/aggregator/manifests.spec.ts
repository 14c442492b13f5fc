import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import YAML from 'yaml';
import { deploymentManifests, generateServingTLS, manifestsYAML, parseManifestsArgs, servedGroupVersions } from '../../../src/framework/aggregator';
import { Store, type APIGroupDefinition } from '../../../src/index';
import { Widget, WidgetV1 } from '../../e2e/widgets.fixture';

interface Manifest {
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  roleRef?: { name: string };
}

const widgets: APIGroupDefinition = {
  name: 'widgets',
  install(ctx) {
    ctx.scheme.addKnownTypes(Widget, WidgetV1);
    const resource = ctx.scheme.resourceInfo({ group: 'e2e.example.com', version: 'v1', resource: 'widgets' })!;
    const store = new Store({ scheme: ctx.scheme, resource, storage: ctx.storageFor({ group: 'e2e.example.com', resource: 'widgets' }) });
    return [{ group: 'e2e.example.com', scheme: ctx.scheme, versionedResources: { v1: { widgets: store } } }];
  },
};

describe('apiserver-kit manifests', () => {
  it('finds the group versions a server serves without any storage', () => {
    assert.deepEqual(servedGroupVersions([widgets]), [{ group: 'e2e.example.com', versions: ['v1'] }]);
  });

  it('prints everything to run as an aggregated APIService, the caBundle verifying the serving certificate for the service name', async function () {
    this.timeout(20_000);
    const tls = await generateServingTLS('widgets-api', 'widgets-system');
    const objects = YAML.parseAllDocuments(
      manifestsYAML(
        deploymentManifests({
          name: 'widgets-api',
          namespace: 'widgets-system',
          image: 'example/widgets:1',
          groupVersions: [{ group: 'e2e.example.com', versions: ['v2', 'v1'] }],
          tls,
        }),
      ),
    ).map((d) => d.toJS() as Manifest);
    assert.deepEqual(
      objects.map((o) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`),
      [
        'Namespace widgets-system',
        'ServiceAccount widgets-system/widgets-api',
        'ClusterRoleBinding widgets-api:system:auth-delegator',
        'RoleBinding kube-system/widgets-api-auth-reader',
        'ClusterRole widgets-api',
        'ClusterRoleBinding widgets-api',
        'Secret widgets-system/widgets-api-serving',
        'Deployment widgets-system/widgets-api',
        'Service widgets-system/widgets-api',
        'APIService v2.e2e.example.com',
        'APIService v1.e2e.example.com',
      ],
    );
    assert.equal(objects[3].roleRef?.name, 'extension-apiserver-authentication-reader');
    const container = (objects[7].spec as { template: { spec: { containers: { args: string[] }[] } } }).template.spec.containers[0];
    assert.deepEqual(container.args.slice(0, 3), ['serve', '--aggregated', '--authorization-mode=Webhook']);
    const [v2, v1] = objects.slice(-2).map((o) => o.spec as { versionPriority: number; caBundle: string; service: unknown });
    assert.ok(v2.versionPriority > v1.versionPriority);
    assert.deepEqual(v1.service, { namespace: 'widgets-system', name: 'widgets-api', port: 443 });
    const ca = new X509Certificate(Buffer.from(v1.caBundle, 'base64'));
    const serving = new X509Certificate(Buffer.from(objects[6].data!['tls.crt'], 'base64'));
    assert.ok(serving.verify(ca.publicKey));
    assert.equal(serving.checkHost('widgets-api.widgets-system.svc', { subject: 'never' }), 'widgets-api.widgets-system.svc');
  });

  it('refuses unknown flags and a replica count that is not a positive integer', () => {
    assert.throws(() => parseManifestsArgs(['--nope']), /unknown flag --nope/);
    assert.throws(() => parseManifestsArgs(['--replicas', '0']), /--replicas must be a positive integer/);
    assert.deepEqual(parseManifestsArgs(['--name=x', '--server-arg', '--etcd-servers=https://etcd:2379']).serverArgs, ['--etcd-servers=https://etcd:2379']);
  });
});
