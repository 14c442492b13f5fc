import assert from 'node:assert/strict';
import { Field, Hub, KubeObject, Resource, Scheme } from '../../../src/framework/runtime';

const GROUP = 'anyvalue.example.com';

class Operation {
  @Field(() => String, { required: true })
  path!: string;

  @Field(undefined, { anyValue: true })
  value?: unknown;
}

@Hub({ group: GROUP, kind: 'Patchy' })
class Patchy extends KubeObject {
  @Field(() => Operation, { array: true })
  operations?: Operation[];
}

@Resource({ group: GROUP, version: 'v1', kind: 'Patchy', plural: 'patchies', scope: 'Cluster' })
class PatchyV1 extends Patchy {}

describe('runtime: @Field anyValue', () => {
  const scheme = new Scheme().addKnownTypes(Patchy, PatchyV1);
  const values: unknown[] = [3, 'text', true, { weight: 2, nested: { list: [1, 'a'] } }, [1, { a: 'b' }]];

  it('decodes, converts and encodes any JSON value unchanged', () => {
    const body = { apiVersion: `${GROUP}/v1`, kind: 'Patchy', metadata: { name: 'p' }, operations: values.map((value, i) => ({ path: `/x/${i}`, value })) };
    const decoded = scheme.decode(JSON.stringify(body));
    assert.deepEqual(decoded.unknownFields, []);
    const hub = scheme.convert(decoded.object, { group: GROUP, version: '__internal', kind: 'Patchy' });
    const back = scheme.toPlain(scheme.convert(hub, { group: GROUP, version: 'v1', kind: 'Patchy' }));
    assert.deepEqual((back.operations as { value: unknown }[]).map((o) => o.value), values);
  });

  it('is published without a type, its unknown fields preserved', () => {
    const schema = scheme.schemaFor(PatchyV1);
    const operation = schema.properties?.operations?.items;
    assert.deepEqual(operation?.properties?.value, { 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('refuses a type, array or map option beside it', () => {
    class Bad {
      @Field(() => String, { anyValue: true })
      value?: unknown;
    }
    @Hub({ group: GROUP, kind: 'Bad' })
    class BadHub extends KubeObject {
      @Field(() => Bad)
      spec?: Bad;
    }
    assert.throws(() => new Scheme().addKnownTypes(BadHub), /Bad\.value: a field of any JSON value has no type, array or map option/);
  });
});
