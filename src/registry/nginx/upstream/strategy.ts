/**
 * Upstream behaviour: the spec checked against its schema and the group's rules
 * on create and update; status writes (the controller's) against the status schema.
 * The Store already keeps status out of spec writes and spec out of status writes.
 */
import type { RESTStrategy, Scheme } from '../../../index';
import type { Upstream } from '../../../apis/nginx/types';
import { validateUpstreamSpec } from '../../../apis/nginx/validation';
import { schemaErrors } from '../schema-errors';

export function newUpstreamStrategy(scheme: Scheme): RESTStrategy<Upstream> {
  const validate = (obj: Upstream) => [...schemaErrors(scheme, obj, 'spec'), ...validateUpstreamSpec(obj.spec)];
  return {
    validate: (_ctx, obj) => validate(obj),
    validateUpdate: (_ctx, obj) => validate(obj),
    validateStatusUpdate: (_ctx, obj) => schemaErrors(scheme, obj, 'status'),
  };
}
