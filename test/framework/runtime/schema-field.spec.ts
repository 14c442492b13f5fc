import assert from 'node:assert/strict';
import { Field, Hub, KubeObject, Resource, Scheme, type JSONSchemaProps } from '../../../src/framework/runtime';

const GROUP = 'schemafield.example.com';

const SPEC_SCHEMA: JSONSchemaProps = {
  type: 'object',
  properties: {
    replicas: { type: 'integer', minimum: 0 },
    ports: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, port: { 'x-kubernetes-int-or-string': true } } } },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    inner: { type: 'object', properties: { kept: { type: 'string' } } },
    pod: { type: 'object', 'x-kubernetes-embedded-resource': true, properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
  },
};

@Hub({ group: GROUP, kind: 'Shaped' })
class Shaped extends KubeObject {
  @Field(undefined, { schema: { 'x-kubernetes-preserve-unknown-fields': true } })
  spec?: Record<string, unknown>;
}

@Resource({ group: GROUP, version: 'v1', kind: 'Shaped', plural: 'shapeds', scope: 'Namespaced' })
class ShapedV1 extends KubeObject {
  @Field(undefined, { schema: SPEC_SCHEMA })
  spec?: Record<string, unknown>;
}

describe('runtime: @Field schema', () => {
  const scheme = new Scheme().addKnownTypes(Shaped, ShapedV1);
  const v1 = { group: GROUP, version: 'v1', kind: 'Shaped' };
  const body = {
    apiVersion: `${GROUP}/v1`,
    kind: 'Shaped',
    metadata: { name: 's' },
    spec: {
      replicas: 'three',
      ports: [{ name: 'http', port: 'web', protocol: 'TCP' }],
      labels: { a: 'b' },
      template: { anything: [1, { deep: true }] },
      inner: { kept: 'yes', dropped: 1 },
      pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] }, status: {} },
      unknown: 'x',
    },
  };

  it('decodes without type checks, pruning and reporting the fields the schema does not declare', () => {
    const decoded = scheme.decode(JSON.stringify(body));
    assert.deepEqual(decoded.unknownFields.sort(), ['.spec.inner.dropped', '.spec.pod.status', '.spec.ports[0].protocol', '.spec.unknown']);
    assert.deepEqual(scheme.toPlain(decoded.object).spec, {
      replicas: 'three',
      ports: [{ name: 'http', port: 'web' }],
      labels: { a: 'b' },
      template: { anything: [1, { deep: true }] },
      inner: { kept: 'yes' },
      pod: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } },
    });
  });

  it('keeps everything through a hub that preserves unknown fields, and prunes again on the way back', () => {
    const hub = scheme.fromPlain({ kind: 'Shaped', metadata: { name: 's' }, spec: { replicas: 1, extra: true } }, { ...v1, version: '__internal' });
    assert.deepEqual((hub as Shaped).spec, { replicas: 1, extra: true });
    assert.deepEqual(scheme.toPlain(scheme.convert(hub, v1)).spec, { replicas: 1 });
  });

  it('prunes what storage holds from an older schema when read', () => {
    const stored = scheme.fromPlain({ apiVersion: `${GROUP}/v1`, kind: 'Shaped', metadata: { name: 's' }, spec: { replicas: 2, removedLater: 'x' } });
    assert.deepEqual((stored as ShapedV1).spec, { replicas: 2 });
  });

  it('is published as the schema it was given', () => {
    assert.deepEqual(scheme.schemaFor(ShapedV1).properties?.spec, SPEC_SCHEMA);
  });

  it('refuses a type, array or map option beside it', () => {
    @Hub({ group: GROUP, kind: 'Bad' })
    class BadHub extends KubeObject {
      @Field(() => String, { schema: { type: 'string' } })
      spec?: string;
    }
    assert.throws(() => new Scheme().addKnownTypes(BadHub), /BadHub\.spec: a field described by a schema has no type, array or map option/);
  });
});
