/**
 * The defaults of apps.example.com (v1beta2 and v1 alike): ten old revisions,
 * a ten-minute progress deadline, and a rolling update of 25% at a time.
 */
import type { Scheme } from '../../../index';
import { DeploymentStrategy, RollingUpdateDeployment } from '../types';
import { DeploymentSpecV1 } from './v1/types';
import { DeploymentSpecV1beta2 } from './v1beta2/types';

export function defaultDeploymentSpec(spec: DeploymentSpecV1beta2 | DeploymentSpecV1): void {
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= new DeploymentStrategy();
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    const rollingUpdate = (spec.strategy.rollingUpdate ??= new RollingUpdateDeployment());
    rollingUpdate.maxUnavailable ??= '25%';
    rollingUpdate.maxSurge ??= '25%';
  }
}

export function addDefaults(scheme: Scheme): void {
  scheme.addDefaulter(DeploymentSpecV1beta2, defaultDeploymentSpec).addDefaulter(DeploymentSpecV1, defaultDeploymentSpec);
}
