/**
 * The Deployment rules no schema can state, on the internal object whatever
 * version it came in, each reported at its field the way Kubernetes words it.
 */
import assert from 'node:assert/strict';
import type { FieldError } from '../../../src/index';
import { POD_REPLACEMENT_POLICY_ANNOTATION, ROLLBACK_TO_ANNOTATION } from '../../../src/apis/workloads/annotated-fields';
import { validateDeployment, validateSelectorUnchanged } from '../../../src/apis/workloads/validation';
import { decodeToHub, deploymentManifest, V1, V1BETA1, workloadsScheme } from './fixtures';

const describeErrors = (errors: FieldError[]) => errors.map((e) => `${e.type} ${e.field}${e.detail ? `: ${e.detail}` : ''}`);

describe('apis/workloads: validation', () => {
  const scheme = workloadsScheme();
  const errorsOf = (apiVersion: string, spec: Record<string, unknown>, metadata: Record<string, unknown> = {}) =>
    describeErrors(validateDeployment(decodeToHub(scheme, deploymentManifest(apiVersion, spec, metadata))));

  it('accepts a valid Deployment in every version', () => {
    assert.deepEqual(errorsOf(V1, {}), []);
    assert.deepEqual(errorsOf(V1BETA1, { selector: undefined }), [], 'v1beta1 defaults the selector');
  });

  it('requires a non-empty selector that selects the template labels', () => {
    assert.deepEqual(errorsOf(V1, { selector: undefined }), ['FieldValueRequired spec.selector']);
    assert.deepEqual(errorsOf(V1, { selector: {} }), ['FieldValueInvalid spec.selector: empty selector is invalid for deployment']);
    assert.deepEqual(errorsOf(V1, { selector: { matchLabels: { app: 'api' } } }), [
      'FieldValueInvalid spec.template.metadata.labels: `selector` does not match template `labels`',
    ]);
    assert.deepEqual(errorsOf(V1, { selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }), []);
    assert.deepEqual(errorsOf(V1, { selector: { matchExpressions: [{ key: 'app', operator: 'Exists', values: ['web'] }] } }), [
      "FieldValueForbidden spec.selector.matchExpressions[0].values: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    ]);
  });

  it('v1beta1 without selector and without template labels has nothing to default from', () => {
    const template = { metadata: {}, spec: { containers: [{ name: 'web', image: 'nginx' }] } };
    assert.deepEqual(errorsOf(V1BETA1, { selector: undefined, template }), ['FieldValueRequired spec.selector']);
  });

  it('requires at least one container, each name a unique DNS label', () => {
    assert.deepEqual(errorsOf(V1, { template: { metadata: { labels: { app: 'web' } }, spec: { containers: [] } } }), ['FieldValueRequired spec.template.spec.containers']);
    const containers = [
      { name: 'web', image: 'nginx' },
      { name: 'web', image: 'nginx' },
      { name: 'Side_Car', image: 'busybox' },
    ];
    assert.deepEqual(
      errorsOf(V1, { template: { metadata: { labels: { app: 'web' } }, spec: { containers } } }).map((e) => e.split(':')[0]),
      ['FieldValueDuplicate spec.template.spec.containers[1].name', 'FieldValueInvalid spec.template.spec.containers[2].name'],
    );
  });

  it('checks that the strategy fits together', () => {
    assert.deepEqual(errorsOf(V1, { strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }), [
      "FieldValueForbidden spec.strategy.rollingUpdate: may not be specified when strategy `type` is 'Recreate'",
    ]);
    assert.deepEqual(errorsOf(V1, { strategy: { rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } } }), [
      'FieldValueInvalid spec.strategy.rollingUpdate.maxUnavailable: may not be 0 when `maxSurge` is 0',
    ]);
    assert.deepEqual(errorsOf(V1, { strategy: { rollingUpdate: { maxUnavailable: '150%', maxSurge: 'lots' } } }), [
      'FieldValueInvalid spec.strategy.rollingUpdate.maxUnavailable: must not be greater than 100%',
      "FieldValueInvalid spec.strategy.rollingUpdate.maxSurge: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%')",
    ]);
  });

  it('checks fields that older versions carry in annotations, which no schema sees there', () => {
    assert.deepEqual(errorsOf(V1BETA1, {}, { annotations: { [POD_REPLACEMENT_POLICY_ANNOTATION]: 'Sometimes' } }), [
      'FieldValueNotSupported spec.podReplacementPolicy: supported values: "TerminatingOrFailed", "Failed"',
    ]);
    assert.deepEqual(errorsOf(V1, {}, { annotations: { [ROLLBACK_TO_ANNOTATION]: '-1' } }), [
      `FieldValueInvalid metadata.annotations[${ROLLBACK_TO_ANNOTATION}]: must be a revision number (a non-negative integer)`,
    ]);
    assert.deepEqual(errorsOf(V1BETA1, { rollbackTo: { revision: -2 } }), ['FieldValueInvalid spec.rollbackTo.revision: must be greater than or equal to 0']);
  });

  it('an unchanged selector is unchanged whatever the order of its labels; a changed one is immutable', () => {
    const old = decodeToHub(scheme, deploymentManifest(V1, { selector: { matchLabels: { app: 'web', tier: 'front' } } }));
    const reordered = decodeToHub(scheme, deploymentManifest(V1, { selector: { matchLabels: { tier: 'front', app: 'web' } } }));
    const changed = decodeToHub(scheme, deploymentManifest(V1, { selector: { matchLabels: { app: 'web' } } }));
    assert.deepEqual(validateSelectorUnchanged(reordered, old), []);
    assert.deepEqual(describeErrors(validateSelectorUnchanged(changed, old)), ['FieldValueInvalid spec.selector: field is immutable']);
  });
});
