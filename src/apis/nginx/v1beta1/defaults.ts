/** v1beta1 has the defaults of v1; only its own upstream classes need registering. */
import type { Scheme } from '../../../index';
import { defaultServerWeight, defaultUpstreamSpec } from '../v1/defaults';
import { UpstreamServerV1beta1, UpstreamSpecV1beta1 } from './types';

export function addDefaults(scheme: Scheme): void {
  scheme.addDefaulter(UpstreamSpecV1beta1, defaultUpstreamSpec);
  scheme.addDefaulter(UpstreamServerV1beta1, defaultServerWeight);
}
