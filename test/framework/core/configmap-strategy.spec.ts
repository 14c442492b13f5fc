import assert from 'node:assert/strict';
import { ConfigMap, isConfigMapKey, MAX_CONFIG_MAP_BYTES, validateConfigMap, validateConfigMapUpdate } from '../../../src/framework/core/configmap';

function configMap(fields: Partial<ConfigMap>): ConfigMap {
  return Object.assign(new ConfigMap(), { metadata: { name: 'settings', namespace: 'default' } }, fields);
}

describe('ConfigMap validation', () => {
  it('accepts the keys a file in a volume can be named after, and refuses the others with kube’s messages', () => {
    for (const key of ['key.name', 'KEY_NAME', 'key-name', '.hidden']) assert.deepEqual(isConfigMapKey(key), [], key);
    assert.deepEqual(isConfigMapKey('..'), ["must not be '..'"]);
    assert.deepEqual(isConfigMapKey('..data'), ["must not start with '..'"]);
    assert.match(isConfigMapKey('a/b')[0], /^a valid config key must consist of alphanumeric characters, '-', '_' or '\.' \(e\.g\. 'key\.name',/);
    assert.deepEqual(isConfigMapKey('k'.repeat(254)), ['must be no more than 253 characters']);
  });

  it('refuses a key in both data and binaryData, binaryData that is not base64, and more than 1 MiB in all', () => {
    const errors = validateConfigMap(configMap({ data: { 'a/b': 'x', shared: 'y' }, binaryData: { shared: 'eQ==', raw: 'not base64!' } }));
    assert.deepEqual(
      errors.map((e) => [e.field, e.detail]),
      [
        ['data', isConfigMapKey('a/b')[0]],
        ['binaryData', 'duplicate of key present in data'],
        ['binaryData[raw]', 'must be base64-encoded'],
      ],
    );
    const half = 'x'.repeat(MAX_CONFIG_MAP_BYTES / 2);
    assert.deepEqual(validateConfigMap(configMap({ data: { a: half, b: half } })), []);
    assert.deepEqual(
      validateConfigMap(configMap({ data: { a: half, b: half }, binaryData: { c: 'eQ==' } })).map((e) => e.type),
      ['FieldValueTooLong'],
    );
  });

  it('keeps the data of an immutable ConfigMap and its immutability, but not its metadata', () => {
    const old = configMap({ immutable: true, data: { a: '1' }, binaryData: { b: 'eQ==' } });
    assert.deepEqual(validateConfigMapUpdate(configMap({ immutable: true, data: { a: '1' }, binaryData: { b: 'eQ==' }, metadata: { name: 'settings', namespace: 'default', labels: { x: 'y' } } as ConfigMap['metadata'] }), old), []);
    assert.deepEqual(
      validateConfigMapUpdate(configMap({ data: { a: '2' } }), old).map((e) => [e.type, e.field]),
      [
        ['FieldValueForbidden', 'immutable'],
        ['FieldValueForbidden', 'data'],
        ['FieldValueForbidden', 'binaryData'],
      ],
    );
    assert.deepEqual(validateConfigMapUpdate(configMap({ immutable: true, data: { a: '2' } }), configMap({ data: { a: '1' } })), []);
  });
});
