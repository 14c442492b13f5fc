import assert from 'node:assert/strict';
import type { FieldError } from '../../../src/framework/api/status';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from '../../../src/framework/apiextensions/crd-validation';
import { crd } from './fixtures';

const fields = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.detail ?? e.type}`);
const schemaOf = (openAPIV3Schema: unknown) => ({ versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema } }] });

describe('apiextensions: CRD validation', () => {
  it('accepts a valid CRD and defaults its singular, listKind and conversion', () => {
    const valid = crd();
    assert.deepEqual(validateCustomResourceDefinition(valid), []);
    assert.equal(valid.spec.names.singular, 'widget');
    assert.equal(valid.spec.names.listKind, 'WidgetList');
    assert.equal(valid.spec.conversion?.strategy, 'None');
  });

  it('wants the name to be <plural>.<group> and a group with a dot', () => {
    const wrongName = crd();
    wrongName.metadata.name = 'gadgets.toys.example.com';
    assert.deepEqual(fields(validateCustomResourceDefinition(wrongName)), ['metadata.name: must be spec.names.plural+"."+spec.group']);
    assert.deepEqual(fields(validateCustomResourceDefinition(crd('toys'))), ['spec.group: should be a domain with at least one dot']);
  });

  it('wants exactly one storage version, unique version names, and one served version', () => {
    const two = crd('toys.example.com', {
      versions: [
        { name: 'v1', served: false, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
        { name: 'v1', served: false, storage: true, schema: { openAPIV3Schema: { type: 'object' } } },
      ],
    });
    assert.deepEqual(fields(validateCustomResourceDefinition(two)), [
      'spec.versions[1].name: FieldValueDuplicate',
      'spec.versions: must have exactly one version marked as storage version',
      'spec.versions: must have at least one version marked as served',
    ]);
  });

  it('wants structural schemas', () => {
    const errors = validateCustomResourceDefinition(
      crd(
        'toys.example.com',
        schemaOf({
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              properties: {
                untyped: { description: 'no type' },
                list: { type: 'array' },
                both: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: { type: 'string' } },
                ports: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } },
                ref: { $ref: '#/definitions/x' },
                port: { type: 'string', 'x-kubernetes-int-or-string': true },
              },
            },
            metadata: { type: 'object', properties: { labels: { type: 'object' } } },
          },
        }),
      ),
    );
    assert.deepEqual(fields(errors), [
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[untyped].type: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items: must be specified',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[both].additionalProperties: additionalProperties and properties are mutual exclusive',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[ports].items.required: all map keys must be required or have a default value, "name" is not',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[ref].$ref: must not be specified in a structural schema',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[ref].type: must not be empty for specified object fields',
      'spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[port].type: must be empty if x-kubernetes-int-or-string is true',
      'spec.versions[0].schema.openAPIV3Schema.properties[metadata].properties[labels]: must not be specified: only name and generateName may be restricted',
    ]);
    assert.deepEqual(fields(validateCustomResourceDefinition(crd('toys.example.com', { versions: [{ name: 'v1', served: true, storage: true }] }))), [
      'spec.versions[0].schema.openAPIV3Schema: schemas are required',
    ]);
  });

  it('wants a webhook to be called by https url, speaking ConversionReview v1', () => {
    const webhook = (clientConfig: unknown, conversionReviewVersions = ['v1']) =>
      fields(validateCustomResourceDefinition(crd('toys.example.com', { conversion: { strategy: 'Webhook', webhook: { clientConfig, conversionReviewVersions } } })));
    assert.deepEqual(webhook({ url: 'https://127.0.0.1:8443/convert' }), []);
    assert.deepEqual(webhook({ url: 'http://127.0.0.1/convert' }), ["spec.conversion.webhook.clientConfig.url: 'https' is the only allowed URL scheme"]);
    assert.deepEqual(webhook({ service: { namespace: 'ns', name: 'svc' } }), ['spec.conversion.webhook.clientConfig.service: this server calls conversion webhooks by url only']);
    assert.deepEqual(webhook({ url: 'https://h/convert' }, ['v1beta1']), ['spec.conversion.webhook.conversionReviewVersions: must include at least one of v1']);
    assert.deepEqual(fields(validateCustomResourceDefinition(crd('toys.example.com', { conversion: { strategy: 'Webhook' } }))), [
      'spec.conversion.webhook: must be set when strategy is set to Webhook',
    ]);
  });

  it('checks printer columns, scale paths and deprecation warnings', () => {
    const version = {
      name: 'v1',
      served: true,
      storage: true,
      schema: { openAPIV3Schema: { type: 'object' } },
      deprecationWarning: 'old',
      subresources: { scale: { specReplicasPath: '.replicas', statusReplicasPath: '.status.replicas' } },
      additionalPrinterColumns: [{ name: 'Size', type: 'float', jsonPath: 'spec.size' }],
    };
    assert.deepEqual(fields(validateCustomResourceDefinition(crd('toys.example.com', { versions: [version] }))), [
      'spec.versions[0].deprecationWarning: can only be set for deprecated versions',
      'spec.versions[0].subresources.scale.specReplicasPath: should be a json path under .spec',
      'spec.versions[0].additionalPrinterColumns[0].type: supported values: "integer", "number", "string", "boolean", "date"',
      'spec.versions[0].additionalPrinterColumns[0].jsonPath: must be a simple json path starting with .',
    ]);
  });

  it('keeps the scope and every stored version on update', () => {
    const old = crd();
    const changed = crd('toys.example.com', { scope: 'Cluster', versions: [{ name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] }, { storedVersions: ['v1'] });
    assert.deepEqual(fields(validateCustomResourceDefinitionUpdate(changed, old)), ['spec.scope: field is immutable', 'status.storedVersions[0]: must appear in spec.versions']);
  });
});
