import assert from 'node:assert/strict';
import type { CustomResourceSchema } from '../../../src/framework/apiextensions/crd-schema';
import { selectableFieldReaders, validateSelectableFields } from '../../../src/framework/apiextensions/selectable-fields';
import type { StoredObject } from '../../../src/framework/storage/interface';

const schema: CustomResourceSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        color: { type: 'string', enum: ['red', 'blue'] },
        size: { type: 'integer' },
        ready: { type: 'boolean' },
        ratio: { type: 'number' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        tags: { type: 'array', items: { type: 'string' } },
      },
    },
  },
};

describe('apiextensions/selectable-fields', () => {
  it('accepts paths to string, integer and boolean fields, map values included', () => {
    const fields = ['.spec.color', '.spec.size', '.spec.ready', '.spec.labels.team'].map((jsonPath) => ({ jsonPath }));
    assert.deepEqual(validateSelectableFields(fields, schema, 'spec.versions[0].selectableFields'), []);
  });

  it('refuses other types, unknown paths, array notation, metadata, duplicates and more than eight fields', () => {
    const fields = ['.spec.ratio', '.spec.tags', '.spec.missing', '.spec.tags[0]', '.metadata.labels', '.spec.color', '.spec.color', ''].map((jsonPath) => ({ jsonPath }));
    const errors = validateSelectableFields(fields, schema, 'sf');
    assert.deepEqual(
      errors.map((e) => [e.field, e.type, e.detail]),
      [
        ['sf[0].jsonPath', 'FieldValueInvalid', 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed'],
        ['sf[1].jsonPath', 'FieldValueInvalid', 'must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed'],
        ['sf[2].jsonPath', 'FieldValueInvalid', 'is an invalid path'],
        ['sf[3].jsonPath', 'FieldValueInvalid', 'must be a simple json path starting with . and without array notation'],
        ['sf[4].jsonPath', 'FieldValueInvalid', 'must not point to fields in metadata'],
        ['sf[6].jsonPath', 'FieldValueDuplicate', undefined],
        ['sf[7].jsonPath', 'FieldValueRequired', undefined],
      ],
    );
    const nine = Array.from({ length: 9 }, () => ({ jsonPath: '.spec.color' }));
    assert.deepEqual(validateSelectableFields(nine, schema, 'sf'), [{ type: 'FieldValueInvalid', field: 'sf', value: 9, detail: 'must have at most 8 items' }]);
  });

  it('reads each field as the selector compares it: its text, or nothing when absent', () => {
    const readers = selectableFieldReaders([{ jsonPath: '.spec.color' }, { jsonPath: '.spec.size' }, { jsonPath: '.spec.ready' }]);
    assert.deepEqual(Object.keys(readers), ['spec.color', 'spec.size', 'spec.ready']);
    const obj = { metadata: { name: 'a' }, spec: { size: 3, ready: false } } as unknown as StoredObject;
    assert.deepEqual(
      Object.values(readers).map((read) => read(obj)),
      [undefined, '3', 'false'],
    );
  });
});
