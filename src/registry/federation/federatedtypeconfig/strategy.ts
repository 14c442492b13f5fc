/** FederatedTypeConfig behaviour: named for its target, which never changes. */
import type { RESTStrategy } from '../../../index';
import type { FederatedTypeConfig } from '../../../apis/federation/types';
import { validateFederatedTypeConfig, validateFederatedTypeConfigUpdate } from '../../../apis/federation/validation';

export const federatedTypeConfigStrategy: RESTStrategy<FederatedTypeConfig> = {
  validate: (_ctx, obj) => validateFederatedTypeConfig(obj),
  validateUpdate: (_ctx, obj, old) => validateFederatedTypeConfigUpdate(obj, old),
};
