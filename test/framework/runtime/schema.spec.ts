import assert from 'node:assert/strict';
import { Field, Scheme, validateAgainstSchema, type JSONSchemaProps } from '../../../src/framework/runtime';
import { install } from './fixtures/widgets/install';
import { GROUP } from './fixtures/widgets/types';
import * as v1 from './fixtures/widgets/v1';

class Limit {
  @Field(() => Number, { type: 'integer', exclusiveMinimum: true, minimum: 0 })
  max?: number;
}

class Extras {
  @Field(() => Limit, { map: true, mapType: 'granular' })
  limits?: Record<string, Limit>;

  @Field(undefined, { intOrString: true, name: 'targetPort' })
  target?: number | string;

  @Field(() => Limit, { preserveUnknownFields: true })
  open?: Limit;

  @Field(() => Object, { embeddedResource: true })
  template?: Record<string, unknown>;

  @Field(() => String, { array: true, nullable: true, maxItems: 3, pattern: '^[a-z]+$', listType: 'set' })
  tags?: string[] | null;
}

class Node {
  @Field(() => Node, { array: true })
  children?: Node[];
}

describe('runtime/schema', () => {
  let scheme: Scheme;
  beforeEach(() => {
    scheme = install(new Scheme());
  });

  it('describes a nested type with arrays, maps, enums, defaults and merge keys', () => {
    assert.deepEqual(scheme.schemaFor(v1.WidgetSpec), {
      type: 'object',
      properties: {
        dimensions: {
          type: 'object',
          properties: { size: { description: 'Edge length in centimetres.', type: 'integer', minimum: 1 } },
        },
        color: { description: 'The paint.', type: 'string', enum: ['red', 'green', 'blue'] },
        replicas: { type: 'integer', minimum: 0 },
        ports: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              name: { description: 'Unique among the ports of one widget.', type: 'string' },
              port: { type: 'integer', format: 'int32', minimum: 1, maximum: 65535 },
              protocol: { type: 'string', enum: ['TCP', 'UDP'], default: 'TCP' },
            },
            required: ['name', 'port'],
          },
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['name'],
          'x-kubernetes-patch-merge-key': 'name',
          'x-kubernetes-patch-strategy': 'merge',
        },
        selector: {
          description: 'Labels of the parts this widget is made of.',
          type: 'object',
          additionalProperties: { type: 'string' },
        },
      },
    });
  });

  it('describes maps of objects, int-or-string, open and embedded objects, and constrained string lists', () => {
    const limit: JSONSchemaProps = { type: 'object', properties: { max: { type: 'integer', minimum: 0, exclusiveMinimum: true } } };
    assert.deepEqual(scheme.schemaFor(Extras), {
      type: 'object',
      properties: {
        limits: { type: 'object', additionalProperties: limit, 'x-kubernetes-map-type': 'granular' },
        targetPort: { 'x-kubernetes-int-or-string': true },
        open: { ...limit, 'x-kubernetes-preserve-unknown-fields': true },
        template: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, 'x-kubernetes-embedded-resource': true },
        tags: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' }, nullable: true, maxItems: 3, 'x-kubernetes-list-type': 'set' },
      },
    });
  });

  it('gives a served kind its description, group-version-kind and the standard fields', () => {
    const schema = scheme.schemaFor(v1.Widget);
    assert.equal(schema.description, 'A widget: some ports and a colour.');
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: GROUP, version: 'v1', kind: 'Widget' }]);
    assert.deepEqual(Object.keys(schema.properties ?? {}), ['apiVersion', 'kind', 'metadata', 'spec', 'status']);
    const metadata = schema.properties?.metadata.properties ?? {};
    assert.deepEqual(metadata.labels.additionalProperties, { type: 'string' });
    assert.equal(metadata.ownerReferences['x-kubernetes-patch-merge-key'], 'uid');
  });

  it('hands out copies the caller may change', () => {
    const first = scheme.schemaFor(v1.Widget);
    first.description = 'changed';
    assert.equal(scheme.schemaFor(v1.Widget).description, 'A widget: some ports and a colour.');
  });

  it('refuses recursive types, which structural schemas cannot express', () => {
    assert.throws(() => scheme.schemaFor(Node), /Node → Node: a recursive type has no structural schema/);
  });

  describe('validateAgainstSchema', () => {
    it('accepts a valid object', () => {
      const plain = { spec: { color: 'red', replicas: 2, ports: [{ name: 'a', port: 80 }], selector: { a: 'b' } } };
      assert.deepEqual(validateAgainstSchema(plain, scheme.schemaFor(v1.Widget), ''), []);
    });

    it('reports type, required, enum, pattern, range and item-count violations by path', () => {
      const spec = { color: 'purple', replicas: -1, ports: [{ port: 0 }, { name: 'b', port: 'x' }], dimensions: { size: 1.5 } };
      assert.deepEqual(validateAgainstSchema(spec, scheme.schemaFor(v1.WidgetSpec), 'spec'), [
        { type: 'FieldValueNotSupported', field: 'spec.color', value: 'purple', detail: 'supported values: "red", "green", "blue"' },
        { type: 'FieldValueInvalid', field: 'spec.replicas', value: -1, detail: 'should be greater than or equal to 0' },
        { type: 'FieldValueRequired', field: 'spec.ports[0].name' },
        { type: 'FieldValueInvalid', field: 'spec.ports[0].port', value: 0, detail: 'should be greater than or equal to 1' },
        { type: 'FieldValueTypeInvalid', field: 'spec.ports[1].port', value: 'x', detail: 'must be of type integer' },
        { type: 'FieldValueTypeInvalid', field: 'spec.dimensions.size', value: 1.5, detail: 'must be of type integer' },
      ]);
      const extras = { limits: { a: { max: 0 } }, targetPort: true, tags: ['ok', 'Not', 'c', 'd'] };
      assert.deepEqual(validateAgainstSchema(extras, scheme.schemaFor(Extras), ''), [
        { type: 'FieldValueInvalid', field: 'limits.a.max', value: 0, detail: 'should be greater than 0' },
        { type: 'FieldValueTypeInvalid', field: 'targetPort', value: true, detail: 'must be an integer or a string' },
        { type: 'FieldValueInvalid', field: 'tags', value: 4, detail: 'must have at most 3 items' },
        { type: 'FieldValueInvalid', field: 'tags[1]', value: 'Not', detail: "should match '^[a-z]+$'" },
      ]);
    });

    it('allows null only where the schema is nullable', () => {
      assert.deepEqual(validateAgainstSchema({ tags: null }, scheme.schemaFor(Extras), ''), []);
      assert.deepEqual(validateAgainstSchema({ replicas: null }, scheme.schemaFor(v1.WidgetSpec), 'spec'), [
        { type: 'FieldValueTypeInvalid', field: 'spec.replicas', value: null, detail: 'must be of type integer' },
      ]);
    });
  });
});
