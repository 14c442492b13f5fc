/**
 * Adds the workloads sample to a Scheme: the internal Deployment, its three
 * versions in two groups, their defaults and conversions, and the order of
 * preference in each group. Call once per Scheme.
 */
import type { Scheme } from '../../index';
import { addDefaults as addAppsDefaults } from './apps/defaults';
import { addConversions as addV1Conversions } from './apps/v1/conversion';
import { DeploymentV1 } from './apps/v1/types';
import { addConversions as addV1beta2Conversions } from './apps/v1beta2/conversion';
import { DeploymentV1beta2 } from './apps/v1beta2/types';
import { addConversions as addV1beta1Conversions } from './extensions/v1beta1/conversion';
import { addDefaults as addV1beta1Defaults } from './extensions/v1beta1/defaults';
import { DeploymentV1beta1 } from './extensions/v1beta1/types';
import { APPS_GROUP, Deployment } from './types';

export function install(scheme: Scheme): Scheme {
  scheme.addKnownTypes(Deployment, DeploymentV1, DeploymentV1beta2, DeploymentV1beta1);
  scheme.setVersionPriority(APPS_GROUP, ['v1', 'v1beta2']);
  addAppsDefaults(scheme);
  addV1beta1Defaults(scheme);
  addV1Conversions(scheme);
  addV1beta2Conversions(scheme);
  addV1beta1Conversions(scheme);
  return scheme;
}
