import type { GroupInstallContext, Store } from '../../../index';
import type { VirtualServer } from '../../../apis/nginx/types';
import { newNginxStore } from '../store';
import { newVirtualServerStrategy } from './strategy';

export function newVirtualServerStore(ctx: GroupInstallContext): Store<VirtualServer> {
  return newNginxStore(ctx, 'virtualservers', newVirtualServerStrategy(ctx.scheme));
}
