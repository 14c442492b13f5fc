import assert from 'node:assert/strict';
import type { FieldError } from '../../../src/index';
import {
  validateFederatedSpec,
  validateFederatedTypeConfig,
  validateFederatedTypeConfigUpdate,
  validateMemberClusterSpec,
  validateOverridePolicySpec,
  validatePropagationPolicySpec,
} from '../../../src/apis/federation/validation';
import type { FederatedTypeConfig } from '../../../src/apis/federation/types';

const fields = (errors: FieldError[]) => errors.map((e) => `${e.type} ${e.field}`);
const PEM = Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n').toString('base64');

function typeConfig(name: string, target: Partial<NonNullable<FederatedTypeConfig['spec']>['targetType']>): FederatedTypeConfig {
  return {
    metadata: { name },
    spec: { targetType: { group: 'nginx.example.com', version: 'v1', kind: 'Upstream', plural: 'upstreams', scope: 'Namespaced', ...target } },
  } as FederatedTypeConfig;
}

describe('federation.example.com validation', () => {
  it('a federated spec: the template names nothing, is of the target kind, placements and overrides well formed', () => {
    assert.deepEqual(validateFederatedSpec({ template: { spec: {} }, placement: { clusters: [{ name: 'east' }] } }, { apiVersion: 'nginx.example.com/v1', kind: 'Upstream' }), []);
    assert.deepEqual(
      fields(
        validateFederatedSpec(
          {
            template: { apiVersion: 'v1', kind: 'Endpoint', metadata: { name: 'x', namespace: 'y' } },
            placement: { clusters: [{ name: 'east' }, { name: 'east' }, { name: 'Not_A_Name' }], clusterSelector: { matchExpressions: [{ key: 'a', operator: 'In' }] } },
            overrides: [
              { clusterName: 'east', clusterOverrides: [{ path: '/spec/a' }, { op: 'remove', path: '/spec/b', value: 1 }, { path: '/metadata/name', value: 'z' }] },
              { clusterName: 'east' },
            ],
          },
          { apiVersion: 'nginx.example.com/v1', kind: 'Upstream' },
        ),
      ),
      [
        'FieldValueForbidden spec.template.metadata.name',
        'FieldValueForbidden spec.template.metadata.namespace',
        'FieldValueInvalid spec.template.apiVersion',
        'FieldValueInvalid spec.template.kind',
        'FieldValueDuplicate spec.placement.clusters[1].name',
        'FieldValueInvalid spec.placement.clusters[2].name',
        'FieldValueRequired spec.placement.clusterSelector.matchExpressions[0].values',
        'FieldValueRequired spec.overrides[0].clusterOverrides[0].value',
        'FieldValueForbidden spec.overrides[0].clusterOverrides[1].value',
        'FieldValueForbidden spec.overrides[0].clusterOverrides[2].path',
        'FieldValueDuplicate spec.overrides[1].clusterName',
      ],
    );
  });

  it('a MemberCluster: an https URL without path, a PEM CA bundle, one kind of credential', () => {
    assert.deepEqual(validateMemberClusterSpec({ apiEndpoint: 'https://10.0.0.5:6443', caBundle: PEM, secretRef: { name: 'east' } }), []);
    assert.deepEqual(fields(validateMemberClusterSpec({ apiEndpoint: 'https://10.0.0.5:6443/api', caBundle: 'not base64!', secretRef: { name: 'east' }, token: 't' })), [
      'FieldValueInvalid spec.apiEndpoint',
      'FieldValueInvalid spec.caBundle',
      'FieldValueForbidden spec.token',
    ]);
  });

  it('a FederatedTypeConfig: named <plural>.<group>, no federation or namespace target, the target immutable', () => {
    assert.deepEqual(validateFederatedTypeConfig(typeConfig('upstreams.nginx.example.com', {})), []);
    assert.deepEqual(validateFederatedTypeConfig(typeConfig('configmaps', { group: '', kind: 'ConfigMap', plural: 'configmaps' })), []);
    assert.deepEqual(fields(validateFederatedTypeConfig(typeConfig('upstreams', {}))), ['FieldValueInvalid metadata.name']);
    assert.deepEqual(fields(validateFederatedTypeConfig(typeConfig('namespaces', { group: '', kind: 'Namespace', plural: 'namespaces' }))), ['FieldValueForbidden spec.targetType']);
    assert.deepEqual(fields(validateFederatedTypeConfig(typeConfig('x.federation.example.com', { group: 'federation.example.com', kind: 'lower', plural: 'X' }))), [
      'FieldValueInvalid spec.targetType.kind',
      'FieldValueInvalid spec.targetType.plural',
      'FieldValueForbidden spec.targetType.group',
      'FieldValueInvalid metadata.name',
    ]);
    const updated = typeConfig('upstreams.nginx.example.com', { version: 'v1beta1' });
    assert.deepEqual(fields(validateFederatedTypeConfigUpdate(updated, typeConfig('upstreams.nginx.example.com', {}))), ['FieldValueInvalid spec.targetType']);
  });

  it('policies: selectors of a kind, no namespace in a namespaced policy, override rules well formed', () => {
    const selector = { apiVersion: 'nginx.example.com/v1', kind: 'Upstream' };
    assert.deepEqual(validatePropagationPolicySpec({ resourceSelectors: [selector], placement: { clusterSelector: {} } }, true), []);
    assert.deepEqual(
      fields(validatePropagationPolicySpec({ resourceSelectors: [{ ...selector, namespace: 'x' }, { apiVersion: 'federation.example.com/v1alpha1', kind: 'upstream' }] }, true)),
      ['FieldValueForbidden spec.resourceSelectors[0].namespace', 'FieldValueForbidden spec.resourceSelectors[1].apiVersion', 'FieldValueInvalid spec.resourceSelectors[1].kind'],
    );
    assert.deepEqual(validatePropagationPolicySpec({ resourceSelectors: [{ ...selector, namespace: 'x' }] }, false), []);
    assert.deepEqual(fields(validateOverridePolicySpec({ resourceSelectors: [selector], overrideRules: [{ overrides: [{ op: 'add', path: '/spec/a' }] }] }, true)), [
      'FieldValueRequired spec.overrideRules[0].overrides[0].value',
    ]);
  });
});
