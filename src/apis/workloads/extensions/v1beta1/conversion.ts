/**
 * v1beta1 ↔ internal: `historyLimit` is the internal `revisionHistoryLimit`, and
 * v1's podReplacementPolicy travels in an annotation. Everything else converts
 * by the default field copy, rollbackTo included.
 */
import type { Scheme } from '../../../../index';
import { annotationsToFields, fieldsToAnnotations, POD_REPLACEMENT_POLICY } from '../../annotated-fields';
import { Deployment, DeploymentSpec } from '../../types';
import { DeploymentSpecV1beta1, DeploymentV1beta1 } from './types';

const ANNOTATED = [POD_REPLACEMENT_POLICY];

export function deploymentSpecToInternal(src: DeploymentSpecV1beta1, dst: DeploymentSpec): void {
  dst.revisionHistoryLimit = src.historyLimit;
}

export function deploymentSpecFromInternal(src: DeploymentSpec, dst: DeploymentSpecV1beta1): void {
  dst.historyLimit = src.revisionHistoryLimit;
}

export function addConversions(scheme: Scheme): void {
  scheme
    .addConversion(DeploymentSpecV1beta1, DeploymentSpec, deploymentSpecToInternal)
    .addConversion(DeploymentSpec, DeploymentSpecV1beta1, deploymentSpecFromInternal)
    .addConversion(DeploymentV1beta1, Deployment, (src, dst) => annotationsToFields(ANNOTATED, src, dst))
    .addConversion(Deployment, DeploymentV1beta1, (src, dst) => fieldsToAnnotations(ANNOTATED, src, dst));
}
