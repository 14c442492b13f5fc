/**
 * One Deployment kind in three versions of two groups: every version to every
 * other and back is lossless — fields a version lacks travel in annotations —
 * the renamed field follows its name, and each version decodes with its own
 * defaults (v1beta1's selector from the template labels).
 */
import assert from 'node:assert/strict';
import { POD_REPLACEMENT_POLICY_ANNOTATION, ROLLBACK_TO_ANNOTATION } from '../../../src/apis/workloads/annotated-fields';
import { MAX_INT32 } from '../../../src/apis/workloads/extensions/v1beta1/defaults';
import type { Deployment } from '../../../src/apis/workloads/types';
import { decodeToHub, deploymentManifest, gvkOf, HUB, plain, V1, V1BETA1, V1BETA2, workloadsScheme } from './fixtures';

/** Every field each version has, set to something other than its default. */
const FULL: Record<string, Record<string, unknown>> = {
  [V1]: {
    replicas: 3,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '50%' } },
    minReadySeconds: 5,
    revisionHistoryLimit: 4,
    paused: true,
    progressDeadlineSeconds: 120,
    podReplacementPolicy: 'Failed',
  },
  [V1BETA2]: { replicas: 3, strategy: { type: 'Recreate' }, minReadySeconds: 5, revisionHistoryLimit: 4, paused: true, progressDeadlineSeconds: 120 },
  [V1BETA1]: {
    replicas: 3,
    strategy: { type: 'Recreate' },
    minReadySeconds: 5,
    historyLimit: 4,
    paused: true,
    rollbackTo: { revision: 2 },
    progressDeadlineSeconds: 120,
  },
};

const annotationsOf = (obj: Record<string, unknown>) => (obj.metadata as { annotations?: Record<string, string> }).annotations;
const specOf = (obj: Record<string, unknown>) => obj.spec as Record<string, unknown>;

describe('apis/workloads: conversion and defaults', () => {
  const scheme = workloadsScheme();

  for (const from of [V1, V1BETA2, V1BETA1]) {
    for (const via of [V1, V1BETA2, V1BETA1].filter((v) => v !== from)) {
      it(`${from} → ${via} → ${from} keeps every field`, () => {
        const original = scheme.decode(JSON.stringify(deploymentManifest(from, FULL[from], { labels: { tier: 'front' } }))).object;
        const back = scheme.convert(scheme.convert(original, gvkOf(via)), gvkOf(from));
        assert.deepEqual(plain(scheme, back), plain(scheme, original));
      });
    }
  }

  it('keeps v1-only podReplacementPolicy in an annotation of v1beta1 and v1beta2, and takes it back out on the way in', () => {
    const v1 = scheme.decode(JSON.stringify(deploymentManifest(V1, { podReplacementPolicy: 'Failed' }))).object;
    for (const older of [V1BETA1, V1BETA2]) {
      const converted = plain(scheme, scheme.convert(v1, gvkOf(older)));
      assert.deepEqual(annotationsOf(converted), { [POD_REPLACEMENT_POLICY_ANNOTATION]: 'Failed' });
      assert.equal(specOf(converted).podReplacementPolicy, undefined);
      const hub = scheme.convert(scheme.fromPlain(converted), HUB) as Deployment;
      assert.equal(hub.spec?.podReplacementPolicy, 'Failed');
      assert.equal(hub.metadata.annotations, undefined, 'the annotation does not reach the internal object');
    }
  });

  it('keeps v1beta1-only rollbackTo in an annotation of the apps versions', () => {
    const beta = scheme.decode(JSON.stringify(deploymentManifest(V1BETA1, { rollbackTo: { revision: 7 } }))).object;
    for (const apps of [V1, V1BETA2]) {
      const converted = plain(scheme, scheme.convert(beta, gvkOf(apps)));
      assert.equal(annotationsOf(converted)?.[ROLLBACK_TO_ANNOTATION], '7');
      assert.equal(specOf(converted).rollbackTo, undefined);
    }
  });

  it('writes annotations from the internal object: a stale one a client kept goes, a cleared field clears it', () => {
    const stale = deploymentManifest(V1BETA1, {}, { annotations: { [POD_REPLACEMENT_POLICY_ANNOTATION]: 'Failed', owner: 'team-a' } });
    const hub = decodeToHub(scheme, stale);
    assert.equal(hub.spec?.podReplacementPolicy, 'Failed');
    delete hub.spec?.podReplacementPolicy;
    const back = plain(scheme, scheme.convert(hub, gvkOf(V1BETA1)));
    assert.deepEqual(annotationsOf(back), { owner: 'team-a' });
  });

  it('leaves an annotation that is no revision number where it is, for validation to refuse', () => {
    const hub = decodeToHub(scheme, deploymentManifest(V1, {}, { annotations: { [ROLLBACK_TO_ANNOTATION]: 'latest' } }));
    assert.equal(hub.spec?.rollbackTo, undefined);
    assert.deepEqual(hub.metadata.annotations, { [ROLLBACK_TO_ANNOTATION]: 'latest' });
  });

  it('follows the rename of v1beta1 historyLimit to revisionHistoryLimit', () => {
    const beta = scheme.decode(JSON.stringify(deploymentManifest(V1BETA1, { historyLimit: 3 }))).object;
    assert.equal((scheme.convert(beta, HUB) as Deployment).spec?.revisionHistoryLimit, 3);
    const v1 = plain(scheme, scheme.convert(beta, gvkOf(V1)));
    assert.equal(specOf(v1).revisionHistoryLimit, 3);
    assert.equal(specOf(v1).historyLimit, undefined);
  });

  it('converts plain JSON the same way (what the handlers and storage use)', () => {
    const stored = plain(scheme, scheme.decode(JSON.stringify(deploymentManifest(V1, { podReplacementPolicy: 'Failed', revisionHistoryLimit: 2 }))).object);
    const beta = scheme.convertPlain(stored, gvkOf(V1BETA1));
    assert.equal(beta.apiVersion, V1BETA1);
    assert.equal(specOf(beta).historyLimit, 2);
    assert.equal(annotationsOf(beta)?.[POD_REPLACEMENT_POLICY_ANNOTATION], 'Failed');
    assert.deepEqual(scheme.convertPlain(beta, gvkOf(V1)), stored);
  });

  it('v1beta1 defaults the selector from the template labels; the apps versions leave it to the client', () => {
    const noSelector = (apiVersion: string) => {
      const manifest = deploymentManifest(apiVersion);
      delete specOf(manifest).selector;
      return decodeToHub(scheme, manifest);
    };
    assert.deepEqual(noSelector(V1BETA1).spec?.selector?.matchLabels, { app: 'web' });
    assert.equal(noSelector(V1).spec?.selector, undefined);
    assert.equal(noSelector(V1BETA2).spec?.selector, undefined);
  });

  it('each version decodes with the defaults of its release', () => {
    const beta = decodeToHub(scheme, deploymentManifest(V1BETA1)).spec;
    assert.deepEqual(
      { replicas: beta?.replicas, history: beta?.revisionHistoryLimit, deadline: beta?.progressDeadlineSeconds, strategy: plainStrategy(beta) },
      { replicas: 1, history: MAX_INT32, deadline: MAX_INT32, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 1 } } },
    );
    for (const apps of [V1, V1BETA2]) {
      const spec = decodeToHub(scheme, deploymentManifest(apps)).spec;
      assert.deepEqual(
        { replicas: spec?.replicas, history: spec?.revisionHistoryLimit, deadline: spec?.progressDeadlineSeconds, strategy: plainStrategy(spec) },
        { replicas: 1, history: 10, deadline: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } } },
      );
    }
    const recreate = decodeToHub(scheme, deploymentManifest(V1, { strategy: { type: 'Recreate' } })).spec;
    assert.equal(recreate?.strategy?.rollingUpdate, undefined, 'no rolling update parameters for Recreate');
  });
});

function plainStrategy(spec: Deployment['spec']): unknown {
  return JSON.parse(JSON.stringify(spec?.strategy));
}
