import type { GroupInstallContext, Store } from '../../../index';
import type { Upstream } from '../../../apis/nginx/types';
import { newNginxStore } from '../store';
import { upstreamStrategy } from './strategy';

export function newUpstreamStore(ctx: GroupInstallContext): Store<Upstream> {
  return newNginxStore(ctx, 'upstreams', upstreamStrategy);
}
