/** Endpoint behaviour: the address rule on create and update (the Store checks the declared schema). */
import type { RESTStrategy } from '../../../index';
import type { Endpoint } from '../../../apis/nginx/types';
import { validateEndpointSpec } from '../../../apis/nginx/validation';

export const endpointStrategy: RESTStrategy<Endpoint> = {
  validate: (_ctx, obj) => validateEndpointSpec(obj.spec),
  validateUpdate: (_ctx, obj) => validateEndpointSpec(obj.spec),
};
