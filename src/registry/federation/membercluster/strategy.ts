/** MemberCluster behaviour: a reachable-looking endpoint and one kind of credential. */
import type { RESTStrategy } from '../../../index';
import type { MemberCluster } from '../../../apis/federation/types';
import { validateMemberClusterSpec } from '../../../apis/federation/validation';

export const memberClusterStrategy: RESTStrategy<MemberCluster> = {
  validate: (_ctx, obj) => validateMemberClusterSpec(obj.spec),
  validateUpdate: (_ctx, obj) => validateMemberClusterSpec(obj.spec),
};
