/**
 * Deployment behaviour. Every version checks the group's rules on create and
 * update; apps.example.com also refuses a changed selector, while
 * extensions.example.com/v1beta1 still allows it, as Kubernetes decided per
 * version. The Store keeps status out of spec writes and spec out of status writes.
 */
import type { RESTStrategy } from '../../../index';
import { EXTENSIONS_GROUP, type Deployment } from '../../../apis/workloads/types';
import { validateDeployment, validateSelectorUnchanged } from '../../../apis/workloads/validation';

/** The versions written before the selector became immutable. */
const SELECTOR_MAY_CHANGE = new Set([`${EXTENSIONS_GROUP}/v1beta1`]);

export const deploymentStrategy: RESTStrategy<Deployment> = {
  validate: (_ctx, obj) => validateDeployment(obj),
  validateUpdate: (_ctx, obj) => validateDeployment(obj),
};

export const immutableSelectorDeploymentStrategy: RESTStrategy<Deployment> = {
  ...deploymentStrategy,
  validateUpdate: (_ctx, obj, old) => [...validateDeployment(obj), ...validateSelectorUnchanged(obj, old)],
};

/** The strategy of requests made in one group version. */
export function deploymentStrategyFor(apiVersion: string): RESTStrategy<Deployment> {
  return SELECTOR_MAY_CHANGE.has(apiVersion) ? deploymentStrategy : immutableSelectorDeploymentStrategy;
}
