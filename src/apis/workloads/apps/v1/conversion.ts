/** v1 ↔ internal: rollbackTo travels in an annotation; the rest is the default field copy. */
import type { Scheme } from '../../../../index';
import { annotationsToFields, fieldsToAnnotations, ROLLBACK_TO } from '../../annotated-fields';
import { Deployment } from '../../types';
import { DeploymentV1 } from './types';

const ANNOTATED = [ROLLBACK_TO];

export function addConversions(scheme: Scheme): void {
  scheme
    .addConversion(DeploymentV1, Deployment, (src, dst) => annotationsToFields(ANNOTATED, src, dst))
    .addConversion(Deployment, DeploymentV1, (src, dst) => fieldsToAnnotations(ANNOTATED, src, dst));
}
