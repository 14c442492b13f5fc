/**
 * VirtualServer behaviour: spec against its schema and the group's rules. A
 * reference to an Upstream that does not exist is accepted (it may be created
 * later); the controller reports it in the Programmed condition.
 */
import type { RESTStrategy, Scheme } from '../../../index';
import type { VirtualServer } from '../../../apis/nginx/types';
import { validateVirtualServerSpec } from '../../../apis/nginx/validation';
import { schemaErrors } from '../schema-errors';

export function newVirtualServerStrategy(scheme: Scheme): RESTStrategy<VirtualServer> {
  const validate = (obj: VirtualServer) => [...schemaErrors(scheme, obj, 'spec'), ...validateVirtualServerSpec(obj.spec)];
  return {
    validate: (_ctx, obj) => validate(obj),
    validateUpdate: (_ctx, obj) => validate(obj),
    validateStatusUpdate: (_ctx, obj) => schemaErrors(scheme, obj, 'status'),
  };
}
