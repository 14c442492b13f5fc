/**
 * Upstream behaviour: the group's rules on create and update. The Store checks
 * the declared schema (types, ranges, enums) itself, keeps status out of spec
 * writes and spec out of status writes.
 */
import type { RESTStrategy } from '../../../index';
import type { Upstream } from '../../../apis/nginx/types';
import { validateUpstreamSpec } from '../../../apis/nginx/validation';

export const upstreamStrategy: RESTStrategy<Upstream> = {
  validate: (_ctx, obj) => validateUpstreamSpec(obj.spec),
  validateUpdate: (_ctx, obj) => validateUpstreamSpec(obj.spec),
};
