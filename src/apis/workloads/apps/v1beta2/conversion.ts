/** v1beta2 ↔ internal: rollbackTo and v1's podReplacementPolicy travel in annotations; the rest is the default field copy. */
import type { Scheme } from '../../../../index';
import { annotationsToFields, fieldsToAnnotations, POD_REPLACEMENT_POLICY, ROLLBACK_TO } from '../../annotated-fields';
import { Deployment } from '../../types';
import { DeploymentV1beta2 } from './types';

const ANNOTATED = [ROLLBACK_TO, POD_REPLACEMENT_POLICY];

export function addConversions(scheme: Scheme): void {
  scheme
    .addConversion(DeploymentV1beta2, Deployment, (src, dst) => annotationsToFields(ANNOTATED, src, dst))
    .addConversion(Deployment, DeploymentV1beta2, (src, dst) => fieldsToAnnotations(ANNOTATED, src, dst));
}
