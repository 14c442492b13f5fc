/** Endpoint behaviour: spec against its schema and the address rule; status against the status schema. */
import type { RESTStrategy, Scheme } from '../../../index';
import type { Endpoint } from '../../../apis/nginx/types';
import { validateEndpointSpec } from '../../../apis/nginx/validation';
import { schemaErrors } from '../schema-errors';

export function newEndpointStrategy(scheme: Scheme): RESTStrategy<Endpoint> {
  const validate = (obj: Endpoint) => [...schemaErrors(scheme, obj, 'spec'), ...validateEndpointSpec(obj.spec)];
  return {
    validate: (_ctx, obj) => validate(obj),
    validateUpdate: (_ctx, obj) => validate(obj),
    validateStatusUpdate: (_ctx, obj) => schemaErrors(scheme, obj, 'status'),
  };
}
