import assert from 'node:assert/strict';
import type { CustomResourceSchema } from '../../../src/framework/apiextensions/crd-schema';
import { evaluateValidationRules, validateValidationRules } from '../../../src/framework/apiextensions/validation-rules';

type Plain = Record<string, unknown>;

/** A root schema whose spec carries the given rules and properties. */
function schemaWithSpec(rules: Plain[], properties: Record<string, CustomResourceSchema> = {}): CustomResourceSchema {
  return {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        'x-kubernetes-validations': rules,
        properties: { replicas: { type: 'integer' }, minReplicas: { type: 'integer' }, mode: { type: 'string' }, ratio: { type: 'number' }, ...properties },
      },
    },
  };
}

const object = (spec: Plain, name = 'sample'): Plain => ({ apiVersion: 'toys.example.com/v1', kind: 'Widget', metadata: { name, namespace: 'default', uid: 'x' }, spec });

describe('apiextensions/validation-rules', () => {
  describe('evaluating rules on custom resources', () => {
    it('passes a rule that holds and reports one that does not with its message at the node, the value being the schema type', () => {
      const schema = schemaWithSpec([{ rule: 'self.minReplicas <= self.replicas', message: 'replicas must be at least minReplicas' }]);
      assert.deepEqual(evaluateValidationRules(object({ replicas: 3, minReplicas: 1 }), undefined, schema), []);
      assert.deepEqual(evaluateValidationRules(object({ replicas: 1, minReplicas: 3 }), undefined, schema), [
        { type: 'FieldValueInvalid', field: 'spec', value: 'object', detail: 'replicas must be at least minReplicas' },
      ]);
    });

    it('sees integers as CEL ints and numbers as doubles, so arithmetic type-checks as in kube', () => {
      const schema = schemaWithSpec([{ rule: 'self.replicas + 1 <= 10 && self.ratio < 1.5' }]);
      assert.deepEqual(evaluateValidationRules(object({ replicas: 9, ratio: 1 }), undefined, schema), []);
      assert.deepEqual(evaluateValidationRules(object({ replicas: 10, ratio: 1 }), undefined, schema), [
        { type: 'FieldValueInvalid', field: 'spec', value: 'object', detail: 'failed rule: self.replicas + 1 <= 10 && self.ratio < 1.5' },
      ]);
    });

    it('words the message from messageExpression, falls back to message when it gives nothing, and places the error at fieldPath', () => {
      const schema = schemaWithSpec([
        { rule: 'self.replicas <= 5', messageExpression: "'replicas ' + string(self.replicas) + ' exceeds 5'", fieldPath: '.replicas' },
        { rule: "self.mode != 'off'", messageExpression: "''", message: 'mode may not be off', reason: 'FieldValueForbidden' },
      ]);
      assert.deepEqual(evaluateValidationRules(object({ replicas: 7, mode: 'off' }), undefined, schema), [
        { type: 'FieldValueInvalid', field: 'spec.replicas', value: 'object', detail: 'replicas 7 exceeds 5' },
        { type: 'FieldValueForbidden', field: 'spec', detail: 'mode may not be off' },
      ]);
    });

    it('evaluates transition rules only on updates that have an old value', () => {
      const schema = schemaWithSpec([], { mode: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'mode is immutable' }] } });
      assert.deepEqual(evaluateValidationRules(object({ mode: 'a' }), undefined, schema), [], 'create: no old value');
      assert.deepEqual(evaluateValidationRules(object({ mode: 'a' }), object({}), schema), [], 'the old object had no mode');
      assert.deepEqual(evaluateValidationRules(object({ mode: 'a' }), object({ mode: 'a' }), schema), []);
      assert.deepEqual(evaluateValidationRules(object({ mode: 'b' }), object({ mode: 'a' }), schema), [
        { type: 'FieldValueInvalid', field: 'spec.mode', value: 'string', detail: 'mode is immutable' },
      ]);
    });

    it('lets an update keep a value that breaks a rule added since (ratcheting), not change it', () => {
      const schema = schemaWithSpec([], { mode: { type: 'string', 'x-kubernetes-validations': [{ rule: "self != 'legacy'", message: 'legacy is gone' }] } });
      assert.deepEqual(evaluateValidationRules(object({ mode: 'legacy', replicas: 2 }), object({ mode: 'legacy', replicas: 1 }), schema), []);
      assert.deepEqual(evaluateValidationRules(object({ mode: 'legacy' }), undefined, schema), [{ type: 'FieldValueInvalid', field: 'spec.mode', value: 'string', detail: 'legacy is gone' }]);
      assert.deepEqual(evaluateValidationRules(object({ mode: 'legacy' }), object({ mode: 'new' }), schema), [{ type: 'FieldValueInvalid', field: 'spec.mode', value: 'string', detail: 'legacy is gone' }]);
    });

    it('walks maps and lists, correlating list-type=map items with their old selves by key', () => {
      const item: CustomResourceSchema = {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, port: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'port is immutable' }] } },
      };
      const schema = schemaWithSpec([], {
        ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: item },
        limits: { type: 'object', additionalProperties: { type: 'integer', 'x-kubernetes-validations': [{ rule: 'self > 0', message: 'must be positive' }] } },
      });
      const old = object({ ports: [{ name: 'http', port: 80 }, { name: 'https', port: 443 }] });
      const next = object({ ports: [{ name: 'https', port: 8443 }, { name: 'http', port: 80 }, { name: 'admin', port: 9000 }], limits: { cpu: 2, memory: 0 } });
      assert.deepEqual(evaluateValidationRules(next, old, schema), [
        { type: 'FieldValueInvalid', field: 'spec.ports[0].port', value: 'integer', detail: 'port is immutable' },
        { type: 'FieldValueInvalid', field: 'spec.limits[memory]', value: 'integer', detail: 'must be positive' },
      ]);
    });

    it('gives a root rule the object with only the name of its metadata, and reports at <nil>', () => {
      const schema: CustomResourceSchema = {
        type: 'object',
        'x-kubernetes-validations': [{ rule: "self.metadata.name.startsWith('w-') && !has(self.metadata.namespace)", message: 'names start with w-' }],
        properties: { spec: { type: 'object' } },
      };
      assert.deepEqual(evaluateValidationRules(object({}, 'w-1'), undefined, schema), []);
      assert.deepEqual(evaluateValidationRules(object({}, 'x-1'), undefined, schema), [{ type: 'FieldValueInvalid', field: '<nil>', value: 'object', detail: 'names start with w-' }]);
    });

    it('reports a rule that fails to evaluate with the reason, and one that does not compile (stored before rules were checked)', () => {
      const schema = schemaWithSpec([{ rule: 'self.replicas > 1' }, { rule: 'self.replicas >' }]);
      const [failed, uncompiled] = evaluateValidationRules(object({ mode: 'a' }), undefined, schema);
      assert.equal(failed.field, 'spec');
      assert.match(failed.detail ?? '', /No such key: replicas evaluating rule: self\.replicas > 1/i);
      assert.equal(uncompiled.field, 'spec');
      assert.match(uncompiled.detail ?? '', /^rule compile error: compilation failed: /);
    });
  });

  describe('checking the rules of a CRD', () => {
    const at = 'spec.versions[0].schema.openAPIV3Schema';

    it('accepts rules that compile to a bool, with known reasons and field paths', () => {
      const schema = schemaWithSpec([{ rule: 'self.replicas >= 0', messageExpression: "'bad: ' + string(self.replicas)", reason: 'FieldValueForbidden', fieldPath: '.replicas' }]);
      assert.deepEqual(validateValidationRules(schema, at), []);
    });

    it('refuses rules that do not compile or are not bool, bad message expressions, unknown reasons and missing field paths', () => {
      const schema = schemaWithSpec([
        { rule: 'self.replicas >' },
        { rule: 'undeclared.size() > 0' },
        { rule: "'text'" },
        { rule: 'true', messageExpression: '1 + 1' },
        { rule: 'true', reason: 'FieldValueBroken' },
        { rule: 'true', fieldPath: '.nothing' },
        { rule: '' },
      ]);
      const errors = validateValidationRules(schema, at);
      const rules = `${at}.properties[spec].x-kubernetes-validations`;
      assert.deepEqual(
        errors.map((e) => [e.field, e.type]),
        [
          [`${rules}[0].rule`, 'FieldValueInvalid'],
          [`${rules}[1].rule`, 'FieldValueInvalid'],
          [`${rules}[2].rule`, 'FieldValueInvalid'],
          [`${rules}[3].messageExpression`, 'FieldValueInvalid'],
          [`${rules}[4].reason`, 'FieldValueNotSupported'],
          [`${rules}[5].fieldPath`, 'FieldValueInvalid'],
          [`${rules}[6].rule`, 'FieldValueRequired'],
        ],
      );
      assert.match(errors[0].detail ?? '', /^compilation failed: /);
      assert.match(errors[1].detail ?? '', /^compilation failed: .*undeclared/i);
      assert.equal(errors[2].detail, 'must evaluate to a bool');
      assert.equal(errors[3].detail, 'messageExpression must evaluate to a string');
    });
  });
});
