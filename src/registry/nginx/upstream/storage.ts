import type { GroupInstallContext, Store } from '../../../index';
import type { Upstream } from '../../../apis/nginx/types';
import { newNginxStore } from '../store';
import { newUpstreamStrategy } from './strategy';

export function newUpstreamStore(ctx: GroupInstallContext): Store<Upstream> {
  return newNginxStore(ctx, 'upstreams', newUpstreamStrategy(ctx.scheme));
}
