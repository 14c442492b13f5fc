import assert from 'node:assert/strict';

import { isStatusError } from '../../../../src/framework/api/status';
import { applyStrategicMergePatch } from '../../../../src/framework/endpoints/strategic-merge-patch';
import { kubectlApplyCaptures, webAppSchema, withPodSpec } from './fixtures';

interface MergeCase {
  name: string;
  original: Record<string, unknown>;
  patch: unknown;
  expected: Record<string, unknown>;
}

interface RejectCase {
  name: string;
  original?: Record<string, unknown>;
  patch: unknown;
  message: string;
}

/** Freezes a JSON value all the way down, so that any mutation by the patch engine throws. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function apply(original: unknown, patch: unknown): unknown {
  return applyStrategicMergePatch(deepFreeze(original), deepFreeze(patch), webAppSchema);
}

const web = { name: 'web', image: 'nginx:1.25' };
const sidecar = { name: 'sidecar', image: 'envoy:1.30' };
const ownerA = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'owner-a', controller: true };
const ownerB = { apiVersion: 'v1', kind: 'ConfigMap', name: 'settings', uid: 'owner-b' };

const mapCases: MergeCase[] = [
  {
    name: 'merges maps recursively and replaces primitives',
    original: { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 1 } },
    patch: { metadata: { labels: { tier: 'frontend' } }, spec: { replicas: 3 } },
    expected: { metadata: { name: 'web', labels: { app: 'web', tier: 'frontend' } }, spec: { replicas: 3 } },
  },
  {
    name: 'null deletes a key and is dropped where there is nothing to delete',
    original: { metadata: { labels: { app: 'web', tier: 'frontend' } }, spec: { paused: true } },
    patch: { metadata: { labels: { tier: null, absent: null } }, spec: { paused: null } },
    expected: { metadata: { labels: { app: 'web' } }, spec: {} },
  },
  {
    name: 'replaces a list that has no merge strategy',
    original: withPodSpec({ containers: [{ ...web, args: ['--port', '80', '--verbose'] }] }),
    patch: withPodSpec({ containers: [{ name: 'web', args: ['--port', '8080'] }] }),
    expected: withPodSpec({ containers: [{ ...web, args: ['--port', '8080'] }] }),
  },
  {
    name: '$patch: replace replaces the whole map',
    original: { spec: { selector: { matchLabels: { app: 'web', tier: 'frontend' } } } },
    patch: { spec: { selector: { matchLabels: { $patch: 'replace', app: 'web2' } } } },
    expected: { spec: { selector: { matchLabels: { app: 'web2' } } } },
  },
  {
    name: '$patch: replace on an absent map sets it without the directive',
    original: { spec: { replicas: 1 } },
    patch: { spec: { selector: { $patch: 'replace', matchLabels: { app: 'web' } } } },
    expected: { spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } } },
  },
  {
    name: '{"$patch": "delete"} as a map value deletes the field',
    original: { spec: { replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $patch: 'delete' } } },
    expected: { spec: { replicas: 2 } },
  },
  {
    name: '$patch: delete at the top deletes everything',
    original: { metadata: { name: 'web' }, spec: { replicas: 2 } },
    patch: { $patch: 'delete' },
    expected: {},
  },
  {
    name: '$patch: merge is the default',
    original: { metadata: { labels: { app: 'web' } } },
    patch: { metadata: { labels: { $patch: 'merge', tier: 'frontend' } } },
    expected: { metadata: { labels: { app: 'web', tier: 'frontend' } } },
  },
  {
    name: 'a map field with patch strategy replace is replaced',
    original: withPodSpec({ nodeSelector: { disk: 'ssd', zone: 'a' } }),
    patch: withPodSpec({ nodeSelector: { zone: 'b' } }),
    expected: withPodSpec({ nodeSelector: { zone: 'b' } }),
  },
];

const mergeListCases: MergeCase[] = [
  {
    // As the kubectl patch task on kubernetes.io shows: the added container comes first.
    name: 'a container with a new name is added ahead of the server-only ones',
    original: withPodSpec({ containers: [{ name: 'patch-demo-ctr', image: 'nginx' }] }),
    patch: withPodSpec({ containers: [{ name: 'patch-demo-ctr-2', image: 'redis' }] }),
    expected: withPodSpec({
      containers: [
        { name: 'patch-demo-ctr-2', image: 'redis' },
        { name: 'patch-demo-ctr', image: 'nginx' },
      ],
    }),
  },
  {
    name: 'containers merge by name: a matched one is merged, a new one follows it in patch order',
    original: withPodSpec({ containers: [web, sidecar] }),
    patch: withPodSpec({ containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'logger', image: 'fluent-bit:3' }] }),
    expected: withPodSpec({
      containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'logger', image: 'fluent-bit:3' }, sidecar],
    }),
  },
  {
    name: 'env merges by name inside a container merged by name',
    original: withPodSpec({
      containers: [{ ...web, env: [{ name: 'MODE', value: 'prod' }, { name: 'DEBUG', value: 'false' }] }, sidecar],
    }),
    patch: withPodSpec({
      containers: [{ name: 'web', env: [{ name: 'DEBUG', value: 'true' }, { name: 'LOG_LEVEL', value: 'info' }] }],
    }),
    expected: withPodSpec({
      containers: [
        {
          ...web,
          env: [
            { name: 'MODE', value: 'prod' },
            { name: 'DEBUG', value: 'true' },
            { name: 'LOG_LEVEL', value: 'info' },
          ],
        },
        sidecar,
      ],
    }),
  },
  {
    name: 'ports merge by a numeric containerPort',
    original: withPodSpec({ containers: [{ ...web, ports: [{ containerPort: 80, name: 'http' }] }] }),
    patch: withPodSpec({
      containers: [{ name: 'web', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, name: 'https' }] }],
    }),
    expected: withPodSpec({
      containers: [
        { ...web, ports: [{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443, name: 'https' }] },
      ],
    }),
  },
  {
    name: 'a list element with $patch: delete removes the element with that key',
    original: withPodSpec({ containers: [web, sidecar] }),
    patch: withPodSpec({ containers: [{ name: 'sidecar', $patch: 'delete' }] }),
    expected: withPodSpec({ containers: [web] }),
  },
  {
    name: 'a {"$patch": "replace"} element replaces the list with the other elements',
    original: withPodSpec({ containers: [web, sidecar] }),
    patch: withPodSpec({ containers: [{ name: 'logger', image: 'fluent-bit:3' }, { $patch: 'replace' }] }),
    expected: withPodSpec({ containers: [{ name: 'logger', image: 'fluent-bit:3' }] }),
  },
  {
    name: 'the garbage collector removes one owner reference by uid',
    original: { metadata: { name: 'web-1-abcde', uid: 'dependent', ownerReferences: [ownerA, ownerB] } },
    patch: { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'owner-a' }], uid: 'dependent' } },
    expected: { metadata: { name: 'web-1-abcde', uid: 'dependent', ownerReferences: [ownerB] } },
  },
  {
    name: 'deleting an element that is not there changes nothing',
    original: { metadata: { ownerReferences: [ownerB] } },
    patch: { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'owner-a' }] } },
    expected: { metadata: { ownerReferences: [ownerB] } },
  },
  {
    name: 'a merge list absent from the original takes the patch list without its directives',
    original: withPodSpec({}),
    patch: withPodSpec({ containers: [{ name: 'web', image: 'nginx:1.27' }, { name: 'gone', $patch: 'delete' }] }),
    expected: withPodSpec({ containers: [{ name: 'web', image: 'nginx:1.27' }] }),
  },
  {
    // Upstream orders the elements a patch names by the patch and slots the others in by server order.
    name: 'elements the patch names take the patch order; the others keep their place',
    original: withPodSpec({ containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }),
    patch: withPodSpec({ containers: [{ name: 'c', image: 'c:2' }, { name: 'a', image: 'a:2' }] }),
    expected: withPodSpec({ containers: [{ name: 'b' }, { name: 'c', image: 'c:2' }, { name: 'a', image: 'a:2' }] }),
  },
  {
    name: 'finalizers (a primitive merge list) are a union without duplicates',
    original: { metadata: { finalizers: ['demo.example.com/cleanup', 'demo.example.com/audit'] } },
    patch: { metadata: { finalizers: ['demo.example.com/audit', 'demo.example.com/backup'] } },
    expected: {
      metadata: { finalizers: ['demo.example.com/cleanup', 'demo.example.com/audit', 'demo.example.com/backup'] },
    },
  },
  {
    name: '$deleteFromPrimitiveList removes values from a primitive merge list',
    original: { metadata: { finalizers: ['demo.example.com/cleanup', 'demo.example.com/audit'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['demo.example.com/audit', 'not-there'] } },
    expected: { metadata: { finalizers: ['demo.example.com/cleanup'] } },
  },
  {
    name: '$deleteFromPrimitiveList on an absent list changes nothing',
    original: { metadata: { name: 'web' } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['demo.example.com/audit'] } },
    expected: { metadata: { name: 'web' } },
  },
];

const elementOrderCases: MergeCase[] = [
  {
    name: '$setElementOrder orders a merged object list by merge key',
    original: withPodSpec({ containers: [web, sidecar] }),
    patch: withPodSpec({
      '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'logger' }, { name: 'web' }],
      containers: [{ name: 'logger', image: 'fluent-bit:3' }],
    }),
    expected: withPodSpec({ containers: [sidecar, { name: 'logger', image: 'fluent-bit:3' }, web] }),
  },
  {
    // The injected container is not named: it stays ahead of `b`, which followed it on the server.
    name: '$setElementOrder keeps an element it does not name before the ones that followed it',
    original: withPodSpec({ containers: [{ name: 'a' }, { name: 'injected' }, { name: 'b' }] }),
    patch: withPodSpec({
      '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }],
      containers: [{ name: 'b', image: 'b:2' }],
    }),
    expected: withPodSpec({ containers: [{ name: 'injected' }, { name: 'b', image: 'b:2' }, { name: 'a' }] }),
  },
  {
    name: '$setElementOrder without a patch list reorders the live list',
    original: { metadata: { finalizers: ['x', 'y', 'z'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['z', 'x', 'y'] } },
    expected: { metadata: { finalizers: ['z', 'x', 'y'] } },
  },
  {
    name: '$setElementOrder orders a primitive merge list with additions',
    original: { metadata: { finalizers: ['x', 'y'] } },
    patch: { metadata: { '$setElementOrder/finalizers': ['w', 'y', 'x'], finalizers: ['w'] } },
    expected: { metadata: { finalizers: ['w', 'y', 'x'] } },
  },
  {
    name: '$setElementOrder with deletions: deleted elements are simply gone',
    original: withPodSpec({ containers: [web, sidecar] }),
    patch: withPodSpec({
      '$setElementOrder/containers': [{ name: 'web' }],
      containers: [{ name: 'sidecar', $patch: 'delete' }],
    }),
    expected: withPodSpec({ containers: [web] }),
  },
];

const retainKeysCases: MergeCase[] = [
  {
    name: '$retainKeys switches the strategy union from RollingUpdate to Recreate',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } } },
    expected: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: '$retainKeys clears keys it does not list even when the patch does not mention them',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
    expected: { spec: { strategy: { type: 'Recreate' } } },
  },
  {
    name: '$retainKeys keeps the listed keys the patch does not mention',
    original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
    patch: { spec: { strategy: { $retainKeys: ['type', 'rollingUpdate'], type: 'RollingUpdate' } } },
    expected: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
  },
];

const schemalessCases: MergeCase[] = [
  {
    name: 'under x-kubernetes-preserve-unknown-fields maps merge, lists are replaced, $-keys are data',
    original: { spec: { config: { servers: [{ name: 'a' }, { name: 'b' }], limits: { cpu: '1', memory: '1Gi' } } } },
    patch: { spec: { config: { servers: [{ name: 'c' }], limits: { cpu: null }, schema: { $ref: '#/defs/x' } } } },
    expected: { spec: { config: { servers: [{ name: 'c' }], limits: { memory: '1Gi' }, schema: { $ref: '#/defs/x' } } } },
  },
  {
    name: 'values of additionalProperties: {} merge like a JSON merge patch',
    original: { spec: { parameters: { retry: { backoff: [1, 2, 4], max: 3 } } } },
    patch: { spec: { parameters: { retry: { backoff: [10], max: null } } } },
    expected: { spec: { parameters: { retry: { backoff: [10] } } } },
  },
  {
    name: 'fields the schema does not know merge like a JSON merge patch',
    original: { status: { conditions: [{ type: 'Ready' }], observedGeneration: 1 } },
    patch: { status: { conditions: [{ type: 'Progressing' }] } },
    expected: { status: { conditions: [{ type: 'Progressing' }], observedGeneration: 1 } },
  },
  {
    name: 'directives still count where there is no schema',
    original: { spec: { config: { tls: { cert: 'a', key: 'b' }, mode: 'x' } } },
    patch: { spec: { config: { tls: { $patch: 'delete' } } } },
    expected: { spec: { config: { mode: 'x' } } },
  },
];

const rejectCases: RejectCase[] = [
  { name: 'an array patch', patch: [{ op: 'add' }], message: 'a strategic merge patch must be a JSON object, not array' },
  { name: 'a string patch', patch: 'spec', message: 'a strategic merge patch must be a JSON object, not string' },
  { name: 'a null patch', patch: null, message: 'a strategic merge patch must be a JSON object, not null' },
  {
    name: 'a merge list element without its merge key',
    original: withPodSpec({ containers: [web] }),
    patch: withPodSpec({ containers: [{ image: 'busybox', ports: [{ containerPort: 8080 }] }] }),
    message: 'map: map[image:busybox ports:[map[containerPort:8080]]] does not contain declared merge key: name',
  },
  {
    name: 'a $patch: delete element without its merge key',
    patch: { metadata: { ownerReferences: [{ $patch: 'delete', name: 'web-1' }] } },
    message: 'map: map[$patch:delete name:web-1] does not contain declared merge key: uid',
  },
  {
    name: 'an unknown $patch value on a map',
    patch: { spec: { selector: { $patch: 'remove' } } },
    message: 'unknown patch type: remove in map: map[$patch:remove]',
  },
  {
    name: 'an unknown $patch value on a list element',
    original: withPodSpec({ containers: [web] }),
    patch: withPodSpec({ containers: [{ name: 'web', $patch: 'drop' }] }),
    message: 'unknown patch type: drop in map: map[$patch:drop name:web]',
  },
  {
    name: '$patch: merge on a list element',
    patch: withPodSpec({ containers: [{ name: 'web', $patch: 'merge' }] }),
    message: 'merging lists cannot yet be specified in the patch',
  },
  {
    name: 'an unknown $-directive',
    patch: { spec: { $replaceKeys: ['type'] } },
    message: 'unknown strategic merge patch directive: $replaceKeys',
  },
  {
    name: 'a $-key in a map of strings',
    patch: { metadata: { labels: { $app: 'web' } } },
    message: 'unknown strategic merge patch directive: $app',
  },
  {
    name: '$retainKeys that is not a list',
    patch: { spec: { strategy: { $retainKeys: 'type', type: 'Recreate' } } },
    message: 'invalid patch format of retainKeys',
  },
  {
    name: 'a field set next to $retainKeys that does not list it',
    patch: { spec: { strategy: { $retainKeys: ['type'], type: 'RollingUpdate', rollingUpdate: { maxSurge: 2 } } } },
    message: 'invalid patch format of retainKeys',
  },
  {
    name: '$deleteFromPrimitiveList that is not a list',
    original: { metadata: { finalizers: ['x'] } },
    patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'x' } },
    message: 'invalid patch format of primitive list',
  },
  {
    name: '$setElementOrder that is not a list',
    patch: withPodSpec({ '$setElementOrder/containers': { name: 'web' } }),
    message: 'invalid patch format of setElementOrder list',
  },
  {
    name: 'a patch list in another order than its $setElementOrder',
    original: withPodSpec({ containers: [web, sidecar] }),
    patch: withPodSpec({
      '$setElementOrder/containers': [{ name: 'web' }, { name: 'sidecar' }],
      containers: [{ name: 'sidecar', image: 'envoy:1.31' }, { name: 'web', image: 'nginx:1.27' }],
    }),
    message:
      "The order in patch list:\n[map[image:envoy:1.31 name:sidecar] map[image:nginx:1.27 name:web]]\n doesn't match $setElementOrder list:\n[map[name:web] map[name:sidecar]]\n",
  },
  {
    name: 'objects added to a primitive merge list',
    original: { metadata: { finalizers: ['x'] } },
    patch: { metadata: { finalizers: [{ name: 'y' }] } },
    message: 'list element types are not identical: [[x] [map[name:y]]]',
  },
  {
    name: 'a list of lists in a merge list',
    patch: { metadata: { finalizers: [['x']] } },
    message: 'lists of lists are not supported',
  },
];

describe('applyStrategicMergePatch', () => {
  const groups: [string, MergeCase[]][] = [
    ['maps', mapCases],
    ['merge lists', mergeListCases],
    ['$setElementOrder', elementOrderCases],
    ['$retainKeys', retainKeysCases],
    ['fields without schema', schemalessCases],
  ];
  for (const [group, cases] of groups) {
    describe(group, () => {
      for (const c of cases) {
        it(c.name, () => assert.deepStrictEqual(apply(c.original, c.patch), c.expected));
      }
    });
  }

  describe('rejects with 400 BadRequest', () => {
    for (const c of rejectCases) {
      it(c.name, () => {
        assert.throws(
          () => apply(c.original ?? {}, c.patch),
          (err: unknown) => {
            assert.ok(isStatusError(err), `expected a StatusError, got ${String(err)}`);
            assert.equal(err.code, 400);
            assert.equal(err.reason, 'BadRequest');
            assert.equal(err.message, c.message);
            return true;
          },
        );
      });
    }
  });

  describe('patches kubectl 1.33 sends for client-side apply', () => {
    for (const capture of kubectlApplyCaptures) {
      it(capture.description, () => {
        assert.deepStrictEqual(apply(capture.live, JSON.parse(capture.patch)), capture.expected);
      });
    }
  });

  it('takes the whole object as client-node patch() sends it, keeping server-only list elements', () => {
    const live = { metadata: { name: 'web', finalizers: ['a'] }, ...withPodSpec({ containers: [web, sidecar] }) };
    const sent = { metadata: { name: 'web', finalizers: ['b'] }, ...withPodSpec({ containers: [{ ...web, image: 'nginx:1.27' }] }) };
    assert.deepStrictEqual(apply(live, sent), {
      metadata: { name: 'web', finalizers: ['b', 'a'] },
      ...withPodSpec({ containers: [{ ...web, image: 'nginx:1.27' }, sidecar] }),
    });
  });

  it('stores a "__proto__" key as data without touching any prototype', () => {
    const patch: unknown = JSON.parse('{"spec":{"config":{"__proto__":{"polluted":true}}}}');
    const result = apply({ spec: {} }, patch) as { spec: { config: object } };
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(result.spec.config, '__proto__')?.value, { polluted: true });
    assert.equal(Object.getPrototypeOf(result.spec.config), Object.prototype);
    assert.equal((Object.prototype as Record<string, unknown>).polluted, undefined);
  });
});
