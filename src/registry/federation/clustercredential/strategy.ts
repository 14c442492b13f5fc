/** ClusterCredential behaviour: base64 data, as in a Secret. */
import type { RESTStrategy } from '../../../index';
import type { ClusterCredential } from '../../../apis/federation/types';
import { validateClusterCredential } from '../../../apis/federation/validation';

export const clusterCredentialStrategy: RESTStrategy<ClusterCredential> = {
  validate: (_ctx, obj) => validateClusterCredential(obj),
  validateUpdate: (_ctx, obj) => validateClusterCredential(obj),
};
