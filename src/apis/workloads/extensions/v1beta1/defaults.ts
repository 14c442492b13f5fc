/**
 * v1beta1's defaults, those of the first release: the selector comes from the
 * template labels, history and progress deadline are unlimited (the largest
 * int32), and a rolling update allows one pod unavailable and one above.
 */
import { LabelSelectorSpec, type Scheme } from '../../../../index';
import { DeploymentStrategy, RollingUpdateDeployment } from '../../types';
import { DeploymentSpecV1beta1 } from './types';

export const MAX_INT32 = 2147483647;

export function defaultDeploymentSpec(spec: DeploymentSpecV1beta1): void {
  spec.replicas ??= 1;
  const templateLabels = spec.template?.metadata?.labels;
  if (!spec.selector && templateLabels && Object.keys(templateLabels).length > 0) {
    spec.selector = new LabelSelectorSpec();
    spec.selector.matchLabels = { ...templateLabels };
  }
  spec.historyLimit ??= MAX_INT32;
  spec.progressDeadlineSeconds ??= MAX_INT32;
  spec.strategy ??= new DeploymentStrategy();
  spec.strategy.type ??= 'RollingUpdate';
  if (spec.strategy.type === 'RollingUpdate') {
    const rollingUpdate = (spec.strategy.rollingUpdate ??= new RollingUpdateDeployment());
    rollingUpdate.maxUnavailable ??= 1;
    rollingUpdate.maxSurge ??= 1;
  }
}

export function addDefaults(scheme: Scheme): void {
  scheme.addDefaulter(DeploymentSpecV1beta1, defaultDeploymentSpec);
}
