/**
 * A Deployment-like `demo.example.com/v1 WebApp` and its structural schema, with the patch
 * metadata kube's own types carry (containers/env by `name`, ports by `containerPort`,
 * finalizers as a primitive merge list, ownerReferences by `uid`, a `retainKeys` strategy union).
 */
import type { StrategicMergePatchSchema } from '../../../../src/framework/endpoints/strategic-merge-patch';

const string: StrategicMergePatchSchema = { type: 'string' };
const stringMap: StrategicMergePatchSchema = { type: 'object', additionalProperties: string };

const container: StrategicMergePatchSchema = {
  type: 'object',
  properties: {
    name: string,
    image: string,
    args: { type: 'array', items: string },
    env: {
      type: 'array',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
      items: { type: 'object', properties: { name: string, value: string } },
    },
    ports: {
      type: 'array',
      'x-kubernetes-patch-merge-key': 'containerPort',
      'x-kubernetes-patch-strategy': 'merge',
      items: { type: 'object', properties: { containerPort: { type: 'integer' }, name: string, protocol: string } },
    },
  },
};

export const webAppSchema: StrategicMergePatchSchema = {
  type: 'object',
  properties: {
    apiVersion: string,
    kind: string,
    metadata: {
      type: 'object',
      properties: {
        name: string,
        namespace: string,
        uid: string,
        resourceVersion: string,
        labels: stringMap,
        annotations: stringMap,
        finalizers: { type: 'array', items: string, 'x-kubernetes-patch-strategy': 'merge' },
        ownerReferences: {
          type: 'array',
          'x-kubernetes-patch-merge-key': 'uid',
          'x-kubernetes-patch-strategy': 'merge',
          items: {
            type: 'object',
            properties: { apiVersion: string, kind: string, name: string, uid: string, controller: { type: 'boolean' } },
          },
        },
      },
    },
    spec: {
      type: 'object',
      properties: {
        replicas: { type: 'integer' },
        paused: { type: 'boolean' },
        selector: { type: 'object', properties: { matchLabels: stringMap } },
        strategy: {
          type: 'object',
          'x-kubernetes-patch-strategy': 'retainKeys',
          properties: {
            type: string,
            rollingUpdate: {
              type: 'object',
              properties: { maxSurge: {}, maxUnavailable: {} },
            },
          },
        },
        template: {
          type: 'object',
          properties: {
            metadata: { type: 'object', properties: { labels: stringMap } },
            spec: {
              type: 'object',
              properties: {
                containers: {
                  type: 'array',
                  'x-kubernetes-patch-merge-key': 'name',
                  'x-kubernetes-patch-strategy': 'merge',
                  items: container,
                },
                nodeSelector: { ...stringMap, 'x-kubernetes-patch-strategy': 'replace' },
              },
            },
          },
        },
        /** Free-form settings: no schema below this point. */
        config: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        /** A map whose values have no known shape. */
        parameters: { type: 'object', additionalProperties: {} },
      },
    },
  },
};

/** An object whose pod template has the given pod spec. */
export function withPodSpec(spec: Record<string, unknown>): Record<string, unknown> {
  return { spec: { template: { spec } } };
}

/**
 * What `kubectl.1.33 apply -f` (client-side) sent for a WebApp: captured from the PATCH body it
 * sent to a loopback server that served discovery, an OpenAPI v3 document whose PATCH operation
 * lists `application/strategic-merge-patch+json` and whose WebApp schema is `webAppSchema`, and
 * `live` on GET. `expected` is the object kube-apiserver's strategic merge makes of it.
 */
export interface KubectlApplyCapture {
  description: string;
  live: Record<string, unknown>;
  patch: string;
  expected: Record<string, unknown>;
}

type WebApp = typeof lastApplied;

const lastApplied = {
  apiVersion: 'demo.example.com/v1',
  kind: 'WebApp',
  metadata: {
    name: 'web',
    namespace: 'default',
    labels: { app: 'web' },
    finalizers: ['demo.example.com/cleanup', 'demo.example.com/audit'],
  } as Record<string, unknown>,
  spec: {
    replicas: 2,
    selector: { matchLabels: { app: 'web' } },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } as Record<string, unknown>,
    template: {
      metadata: { labels: { app: 'web' } },
      spec: {
        containers: [
          {
            name: 'web',
            image: 'nginx:1.25',
            env: [
              { name: 'MODE', value: 'prod' },
              { name: 'DEBUG', value: 'false' },
            ],
            ports: [{ containerPort: 80, name: 'http' }],
          },
          { name: 'sidecar', image: 'envoy:1.30' },
        ] as Record<string, unknown>[],
      },
    },
  },
};

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const serverFields = { uid: '6a4c1f0e-0000-4000-8000-000000000001', resourceVersion: '41' };

/** `lastApplied` as the server holds it after an earlier apply, with `containers` as the pod's containers. */
function live(containers = lastApplied.spec.template.spec.containers): Record<string, unknown> {
  return withContainers(
    {
      ...lastApplied,
      metadata: {
        ...lastApplied.metadata,
        ...serverFields,
        annotations: { [LAST_APPLIED]: JSON.stringify(lastApplied) + '\n' },
      },
    },
    containers,
  );
}

/** `applied` as the server holds it after this apply: server fields kept, the annotation kubectl sent. */
function appliedOnServer(applied: WebApp, patch: string): WebApp {
  const annotation = (JSON.parse(patch) as { metadata: { annotations: Record<string, string> } }).metadata.annotations;
  return { ...applied, metadata: { ...applied.metadata, ...serverFields, annotations: annotation } };
}

function withContainers(object: WebApp, containers: Record<string, unknown>[]): WebApp {
  const spec = object.spec;
  return { ...object, spec: { ...spec, template: { ...spec.template, spec: { ...spec.template.spec, containers } } } };
}

const [web, sidecar] = lastApplied.spec.template.spec.containers;
const logShipper = { name: 'log-shipper', image: 'fluent-bit:3' };
const meshProxy = { name: 'mesh-proxy', image: 'proxy:1.0' };

const containerRemovedPatch =
  '{"metadata":{"$setElementOrder/finalizers":["demo.example.com/cleanup","demo.example.com/audit"],"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"demo.example.com/v1\\",\\"kind\\":\\"WebApp\\",\\"metadata\\":{\\"annotations\\":{},\\"finalizers\\":[\\"demo.example.com/cleanup\\",\\"demo.example.com/audit\\"],\\"labels\\":{\\"app\\":\\"web\\"},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":2,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"web\\"}},\\"strategy\\":{\\"rollingUpdate\\":{\\"maxSurge\\":1,\\"maxUnavailable\\":0},\\"type\\":\\"RollingUpdate\\"},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"web\\"}},\\"spec\\":{\\"containers\\":[{\\"env\\":[{\\"name\\":\\"MODE\\",\\"value\\":\\"prod\\"},{\\"name\\":\\"DEBUG\\",\\"value\\":\\"false\\"}],\\"image\\":\\"nginx:1.27\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80,\\"name\\":\\"http\\"}]}]}}}}\\n"}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:1.27","name":"web"},{"$patch":"delete","name":"sidecar"}]}}}}';
const fieldsChangedPatch =
  '{"metadata":{"$deleteFromPrimitiveList/finalizers":["demo.example.com/audit"],"$setElementOrder/finalizers":["demo.example.com/cleanup"],"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"demo.example.com/v1\\",\\"kind\\":\\"WebApp\\",\\"metadata\\":{\\"annotations\\":{},\\"finalizers\\":[\\"demo.example.com/cleanup\\"],\\"labels\\":{\\"app\\":\\"web\\"},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":2,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"web\\"}},\\"strategy\\":{\\"type\\":\\"Recreate\\"},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"web\\"}},\\"spec\\":{\\"containers\\":[{\\"env\\":[{\\"name\\":\\"MODE\\",\\"value\\":\\"prod\\"},{\\"name\\":\\"LOG_LEVEL\\",\\"value\\":\\"info\\"}],\\"image\\":\\"nginx:1.25\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80,\\"name\\":\\"http\\"},{\\"containerPort\\":9090,\\"name\\":\\"metrics\\"}]},{\\"image\\":\\"envoy:1.30\\",\\"name\\":\\"sidecar\\"}]}}}}\\n"}},"spec":{"strategy":{"$retainKeys":["type"],"rollingUpdate":null,"type":"Recreate"},"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],"containers":[{"$setElementOrder/env":[{"name":"MODE"},{"name":"LOG_LEVEL"}],"$setElementOrder/ports":[{"containerPort":80},{"containerPort":9090}],"env":[{"name":"LOG_LEVEL","value":"info"},{"$patch":"delete","name":"DEBUG"}],"name":"web","ports":[{"containerPort":9090,"name":"metrics"}]}]}}}}';
const sidecarReplacedPatch =
  '{"metadata":{"$setElementOrder/finalizers":["demo.example.com/cleanup","demo.example.com/audit"],"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"demo.example.com/v1\\",\\"kind\\":\\"WebApp\\",\\"metadata\\":{\\"annotations\\":{},\\"finalizers\\":[\\"demo.example.com/cleanup\\",\\"demo.example.com/audit\\"],\\"labels\\":{\\"app\\":\\"web\\"},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":2,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"web\\"}},\\"strategy\\":{\\"rollingUpdate\\":{\\"maxSurge\\":1,\\"maxUnavailable\\":0},\\"type\\":\\"RollingUpdate\\"},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"web\\"}},\\"spec\\":{\\"containers\\":[{\\"env\\":[{\\"name\\":\\"MODE\\",\\"value\\":\\"prod\\"},{\\"name\\":\\"DEBUG\\",\\"value\\":\\"false\\"}],\\"image\\":\\"nginx:1.25\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80,\\"name\\":\\"http\\"}]},{\\"image\\":\\"fluent-bit:3\\",\\"name\\":\\"log-shipper\\"}]}}}}\\n"}},"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"log-shipper"}],"containers":[{"image":"fluent-bit:3","name":"log-shipper"},{"$patch":"delete","name":"sidecar"}]}}}}';

const fieldsChanged: WebApp = {
  ...lastApplied,
  metadata: { ...lastApplied.metadata, finalizers: ['demo.example.com/cleanup'] },
  spec: { ...lastApplied.spec, strategy: { type: 'Recreate' } },
};

export const kubectlApplyCaptures: KubectlApplyCapture[] = [
  {
    description: 'a container removed and the other one changed',
    live: live(),
    patch: containerRemovedPatch,
    expected: appliedOnServer(withContainers(lastApplied, [{ ...web, image: 'nginx:1.27' }]), containerRemovedPatch),
  },
  {
    description: 'an env var and a finalizer removed, an env var and a port added, strategy switched to Recreate',
    live: live(),
    patch: fieldsChangedPatch,
    expected: appliedOnServer(
      withContainers(fieldsChanged, [
        {
          ...web,
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
          ports: [
            { containerPort: 80, name: 'http' },
            { containerPort: 9090, name: 'metrics' },
          ],
        },
        sidecar,
      ]),
      fieldsChangedPatch,
    ),
  },
  {
    // kube-apiserver reads server positions after its merge has put log-shipper into sidecar's slot,
    // so the injected mesh-proxy stays ahead of log-shipper.
    description: 'a container replaced by another while the server had injected one of its own',
    live: live([web, sidecar, meshProxy]),
    patch: sidecarReplacedPatch,
    expected: withContainers(
      appliedOnServer(withContainers(lastApplied, [web, logShipper]), sidecarReplacedPatch),
      [web, meshProxy, logShipper],
    ),
  },
];
