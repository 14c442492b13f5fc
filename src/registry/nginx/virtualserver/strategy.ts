/**
 * VirtualServer behaviour: the group's rules on create and update (the Store
 * checks the declared schema). A reference to an Upstream that does not exist is
 * accepted — it may be created later; the controller reports it in the
 * Programmed condition.
 */
import type { RESTStrategy } from '../../../index';
import type { VirtualServer } from '../../../apis/nginx/types';
import { validateVirtualServerSpec } from '../../../apis/nginx/validation';

export const virtualServerStrategy: RESTStrategy<VirtualServer> = {
  validate: (_ctx, obj) => validateVirtualServerSpec(obj.spec),
  validateUpdate: (_ctx, obj) => validateVirtualServerSpec(obj.spec),
};
