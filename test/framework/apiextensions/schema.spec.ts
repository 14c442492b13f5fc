import assert from 'node:assert/strict';
import type { CustomResourceSchema } from '../../../src/framework/apiextensions';
import { applyDefaults } from '../../../src/framework/apiextensions/schema-defaulting';
import { validateSchemaExtras } from '../../../src/framework/apiextensions/schema-validation';

const messages = (value: unknown, schema: CustomResourceSchema) => validateSchemaExtras(value, schema, '').map((e) => `${e.field}: ${e.type} ${e.detail ?? JSON.stringify(e.value)}`);

describe('apiextensions: custom resource schemas', () => {
  describe('defaulting', () => {
    const schema: CustomResourceSchema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          default: {},
          properties: {
            policy: { type: 'object', default: {}, properties: { clean: { type: 'string', default: 'Running' } } },
            replicas: { type: 'object', additionalProperties: { type: 'object', properties: { count: { type: 'integer', default: 1 } } } },
            ports: { type: 'array', items: { type: 'object', properties: { protocol: { type: 'string', default: 'TCP' } } } },
            note: { type: 'string', nullable: true },
            size: { type: 'integer', default: 3 },
          },
        },
      },
    };

    it('fills missing fields with their defaults, then defaults inside them', () => {
      const obj: Record<string, unknown> = {};
      applyDefaults(obj, schema);
      assert.deepEqual(obj, { spec: { policy: { clean: 'Running' }, size: 3 } });
    });

    it('defaults inside map values and list items, and keeps what is set', () => {
      const obj: Record<string, unknown> = { spec: { size: 5, replicas: { Worker: {}, Chief: { count: 2 } }, ports: [{ name: 'http' }, { protocol: 'UDP' }] } };
      applyDefaults(obj, schema);
      assert.deepEqual(obj.spec, {
        size: 5,
        replicas: { Worker: { count: 1 }, Chief: { count: 2 } },
        ports: [{ name: 'http', protocol: 'TCP' }, { protocol: 'UDP' }],
        policy: { clean: 'Running' },
      });
    });

    it('drops null where the schema does not allow it, and then defaults', () => {
      const obj: Record<string, unknown> = { spec: { size: null, note: null } };
      applyDefaults(obj, schema);
      assert.deepEqual(obj.spec, { size: 3, note: null, policy: { clean: 'Running' } });
    });
  });

  describe('validation beyond types, enums, patterns and ranges', () => {
    it('refuses duplicates in sets and in maps by their keys', () => {
      const schema: CustomResourceSchema = {
        type: 'object',
        properties: {
          hosts: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
          ports: {
            type: 'array',
            'x-kubernetes-list-type': 'map',
            'x-kubernetes-list-map-keys': ['name', 'protocol'],
            items: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, protocol: { type: 'string', default: 'TCP' } } },
          },
        },
      };
      const value = { hosts: ['a', 'b', 'a'], ports: [{ name: 'dns', protocol: 'UDP' }, { name: 'dns' }, { name: 'dns', protocol: 'TCP' }] };
      assert.deepEqual(messages(value, schema), ['hosts[2]: FieldValueDuplicate "a"', 'ports[2]: FieldValueDuplicate {"name":"dns","protocol":"TCP"}']);
    });

    it('wants apiVersion and kind in an embedded resource', () => {
      const schema: CustomResourceSchema = { type: 'object', properties: { template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true } } };
      assert.deepEqual(messages({ template: { kind: 'Pod', spec: {} } }, schema), ['template.apiVersion: FieldValueRequired must not be empty']);
    });

    it('checks multipleOf, property counts and formats', () => {
      const schema: CustomResourceSchema = {
        type: 'object',
        properties: {
          step: { type: 'number', multipleOf: 0.5 },
          labels: { type: 'object', maxProperties: 1, additionalProperties: { type: 'string' } },
          at: { type: 'string', format: 'date-time' },
          count: { type: 'integer', format: 'int32' },
        },
      };
      assert.deepEqual(messages({ step: 1.25, labels: { a: 'x', b: 'y' }, at: 'yesterday', count: 2 ** 31 }, schema), [
        'step: FieldValueInvalid should be a multiple of 0.5',
        'labels: FieldValueInvalid must have at most 1 properties',
        'at: FieldValueInvalid must be of type date-time',
        'count: FieldValueInvalid must be an int32',
      ]);
      assert.deepEqual(messages({ step: 1.5, labels: { a: 'x' }, at: '2024-05-01T10:00:00Z', count: 7 }, schema), []);
    });

    it('applies allOf, anyOf, oneOf and not', () => {
      const schema: CustomResourceSchema = {
        type: 'object',
        properties: {
          source: {
            type: 'object',
            properties: { url: { type: 'string' }, path: { type: 'string' } },
            oneOf: [{ required: ['url'] }, { required: ['path'] }],
          },
          size: { type: 'integer', anyOf: [{ minimum: 10 }, { maximum: 0 }], not: { enum: [100] } },
          name: { type: 'string', allOf: [{ maxLength: 3 }] },
        },
      };
      assert.deepEqual(messages({ source: { url: 'u', path: 'p' }, size: 5, name: 'long' }, schema), [
        'source: FieldValueInvalid must match exactly one schema in oneOf',
        'size: FieldValueInvalid must match at least one schema in anyOf',
        'name: FieldValueTooLong may not be more than 3 bytes',
      ]);
      assert.deepEqual(messages({ source: { url: 'u' }, size: 100 }, schema), ['size: FieldValueInvalid must not validate the schema (not)']);
    });
  });
});
