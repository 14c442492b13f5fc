import assert from 'node:assert/strict';
import {
  apiVersionOf,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  parseApiVersion,
  validateAnnotations,
  validateLabels,
  validateQualifiedName,
} from '../../../src/framework/api';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

describe('api/validation', () => {
  it('checks DNS-1123 subdomains', () => {
    for (const ok of ['a', 'example.com', 'a-b.c-d', '0x1']) assert.deepEqual(isDNS1123Subdomain(ok), [], ok);
    assert.deepEqual(isDNS1123Subdomain('Upper'), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain('a..b'), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain(''), [SUBDOMAIN_MSG]);
    assert.deepEqual(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
  });

  it('checks DNS-1123 labels', () => {
    assert.deepEqual(isDNS1123Label('my-name'), []);
    assert.deepEqual(isDNS1123Label('a.b'), ['must not contain dots']);
    assert.deepEqual(isDNS1123Label('-a'), [LABEL_MSG]);
    assert.deepEqual(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  });

  it('checks qualified names with their prefix', () => {
    assert.deepEqual(isQualifiedName('example.com/My_Name.1'), []);
    assert.deepEqual(isQualifiedName('/a'), ['prefix part must be non-empty']);
    assert.deepEqual(isQualifiedName('Example.com/a'), [`prefix part ${SUBDOMAIN_MSG}`]);
    assert.deepEqual(isQualifiedName('a/'), ['name part must be non-empty', NAME_PART_MSG]);
    assert.deepEqual(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
    assert.match(isQualifiedName('a/b/c')[0], /^a qualified name must consist of .* with an optional DNS subdomain prefix and '\/' \(e.g. 'example.com\/MyName'\)$/);
    assert.deepEqual(validateQualifiedName('-x', 'metadata.finalizers[0]'), [
      { type: 'FieldValueInvalid', field: 'metadata.finalizers[0]', value: '-x', detail: NAME_PART_MSG },
    ]);
  });

  it('validates labels: keys and values', () => {
    assert.deepEqual(validateLabels({ 'app.kubernetes.io/name': 'web', empty: '' }, 'metadata.labels'), []);
    assert.deepEqual(validateLabels(undefined, 'metadata.labels'), []);
    const errors = validateLabels({ 'bad key': 'ok', good: 'bad value' }, 'metadata.labels');
    assert.deepEqual(
      errors.map((e) => [e.field, e.value]),
      [
        ['metadata.labels', 'bad key'],
        ['metadata.labels', 'bad value'],
      ],
    );
    assert.match(errors[1].detail ?? '', /^a valid label must be an empty string or consist of alphanumeric characters/);
  });

  it('validates annotations: keys in any case and a total size of 256 KiB', () => {
    assert.deepEqual(validateAnnotations({ 'Example.COM/Key': 'v' }, 'metadata.annotations'), []);
    assert.deepEqual(validateAnnotations({ big: 'x'.repeat(256 * 1024 - 3) }, 'metadata.annotations'), []);
    assert.deepEqual(validateAnnotations({ big: 'x'.repeat(256 * 1024 - 2) }, 'metadata.annotations'), [
      { type: 'FieldValueTooLong', field: 'metadata.annotations', detail: 'may not be more than 262144 bytes' },
    ]);
    assert.equal(validateAnnotations({ 'a b': '' }, 'metadata.annotations')[0].value, 'a b');
  });

  it('formats and parses apiVersion', () => {
    assert.equal(apiVersionOf({ group: '', version: 'v1' }), 'v1');
    assert.equal(apiVersionOf({ group: 'apps', version: 'v1' }), 'apps/v1');
    assert.deepEqual(parseApiVersion('v1'), { group: '', version: 'v1' });
    assert.deepEqual(parseApiVersion('nginx.example.com/v1beta1'), { group: 'nginx.example.com', version: 'v1beta1' });
  });
});
